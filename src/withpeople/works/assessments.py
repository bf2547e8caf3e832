"""Stored assessments: computed once when what they read changes, read by lists and counts.

The assessment of a piece of work (`withpeople.domain.assessment.assess`) reads its aspects and
plans, the people in its group (perspective, role and record ref), its activities with who took
part, its decisions and the counts of its latest closed check-in round. Every service that
changes any of these calls `assessment_refresh` in its own transaction, so the stored rows
(`WorkAssessment`, `AspectAssessment`) always equal a fresh computation. `withpeople
assessments check` proves it; `withpeople assessments recompute` rewrites them all when the
rules change.

Services that make many changes at once (importing a record) wrap them in
`assessments_deferred()`, so each piece of work is computed once, at the end, still inside the
transaction.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils import timezone

from withpeople.domain import assessment as rules
from withpeople.domain.ladder import RUNG_BY_SLUG
from withpeople.domain.text import message_to_data
from withpeople.organisations.figures import figures_changed
from withpeople.works.models import (
    FLAG_FIELDS,
    Aspect,
    AspectAssessment,
    Work,
    WorkAssessment,
)
from withpeople.works.selectors import work_records_for

#: How many pieces of work `assessments_refresh` computes per batch of queries.
BATCH_SIZE = 200

_deferred: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "withpeople_assessments_deferred", default=None
)


def _position(slug: str | None) -> int | None:
    return RUNG_BY_SLUG[slug].position if slug else None


def _rows(
    work_id: int, aspect_ids: dict[str, int], with_reasons: dict[str, Any]
) -> tuple[WorkAssessment, list[AspectAssessment]]:
    """The rows that keep one assessment, from `assess_with_reasons`: the reasons are kept as
    messages, and the ``withpeople.assessment/1`` structure gives them in English, as `assess`
    does."""
    assessment = {
        **with_reasons,
        "aspects": [
            {**result, "why": [str(reason) for reason in result["why"]]}
            for result in with_reasons["aspects"]
        ],
    }
    flags = set(assessment["work"]["flags"])
    aspects = []
    for result, reasons in zip(assessment["aspects"], with_reasons["aspects"], strict=True):
        flags.update(result["flags"])
        aspects.append(
            AspectAssessment(
                aspect_id=aspect_ids[result["key"]],
                work_id=work_id,
                intended=result["intended"],
                evidenced=result["evidenced"] or "",
                evidenced_position=_position(result["evidenced"]),
                perceived_partners=result["perceived"]["partners"] or "",
                perceived_staff=result["perceived"]["staff"] or "",
                flags=list(result["flags"]),
                reasons=[message_to_data(reason) for reason in reasons["why"]],
            )
        )
    positions = [a.evidenced_position for a in aspects if a.evidenced_position is not None]
    work_row = WorkAssessment(
        work_id=work_id,
        assessment=assessment,
        flag_count=len(flags),
        has_flags=bool(flags),
        lowest_evidenced_position=min(positions) if positions else None,
        **{field: slug in flags for slug, field in FLAG_FIELDS.items()},
    )
    return work_row, aspects


def _computed(works: list[Work]) -> dict[int, tuple[WorkAssessment, list[AspectAssessment]]]:
    """The rows each piece of work should have, computed afresh, by work id."""
    records = work_records_for(works)
    aspect_ids: dict[int, dict[str, int]] = {work.pk: {} for work in works}
    for aspect_id, work_id, key in Aspect.objects.filter(
        work_id__in=[work.pk for work in works]
    ).values_list("id", "work_id", "key"):
        aspect_ids[work_id][key] = aspect_id
    return {
        work.pk: _rows(work.pk, aspect_ids[work.pk], rules.assess_with_reasons(records[work.pk]))
        for work in works
    }


def _save(computed: dict[int, tuple[WorkAssessment, list[AspectAssessment]]]) -> None:
    ids = list(computed)
    now = timezone.now()
    # The overview's flags are kept per version of the organisation's data.
    figures_changed(Work.objects.filter(pk__in=ids).values("organisation_id"))
    AspectAssessment.objects.filter(work_id__in=ids).delete()
    WorkAssessment.objects.filter(work_id__in=ids).delete()
    for work_row, _aspects in computed.values():
        work_row.computed_at = now
    WorkAssessment.objects.bulk_create([work_row for work_row, _a in computed.values()])
    AspectAssessment.objects.bulk_create(
        [aspect for _w, aspects in computed.values() for aspect in aspects]
    )


def assessment_refresh(*, work: Work) -> None:
    """Compute the assessment of a piece of work and store it, replacing what was stored.

    Inside `assessments_deferred()`, it only notes the piece of work, which is computed when
    the block ends.
    """
    pending = _deferred.get()
    if pending is not None:
        pending.add(work.pk)
        return
    with transaction.atomic():
        _save(_computed([work]))


@transaction.atomic
def assessments_refresh(*, works: Iterable[Work]) -> int:
    """Compute and store the assessments of many pieces of work, in batches. How many."""
    works = list(works)
    for start in range(0, len(works), BATCH_SIZE):
        _save(_computed(works[start : start + BATCH_SIZE]))
    return len(works)


@contextmanager
def assessments_deferred() -> Iterator[None]:
    """Within the block, refresh each piece of work changed once, when the block ends."""
    if _deferred.get() is not None:  # already deferring: the outer block computes
        yield
        return
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending:
        assessments_refresh(works=Work.objects.filter(pk__in=pending).order_by("pk"))


def assessment_refresh_for_group(group_id: int) -> None:
    """Refresh the assessment of the piece of work whose group this is, if it has one.

    Registered with `withpeople.groups.services.on_members_changed`."""
    work = Work.objects.filter(group_id=group_id).first()
    if work is not None:
        assessment_refresh(work=work)


def _comparable(work_row: WorkAssessment | None, aspects: Iterable[AspectAssessment]) -> Any:
    if work_row is None:
        return None
    fields = ["assessment", "flag_count", "has_flags", "lowest_evidenced_position"]
    fields += list(FLAG_FIELDS.values())
    aspect_fields = [
        "work_id",
        "intended",
        "evidenced",
        "evidenced_position",
        "perceived_partners",
        "perceived_staff",
        "flags",
        "reasons",
    ]
    return (
        {name: getattr(work_row, name) for name in fields},
        {
            aspect.aspect_id: {name: getattr(aspect, name) for name in aspect_fields}
            for aspect in aspects
        },
    )


def assessment_differences(*, works: Iterable[Work] | None = None) -> list[str]:
    """Each piece of work whose stored assessment differs from a fresh one, one line each."""
    works = list(Work.objects.order_by("pk") if works is None else works)
    problems = []
    for start in range(0, len(works), BATCH_SIZE):
        batch = works[start : start + BATCH_SIZE]
        ids = [work.pk for work in batch]
        stored = {row.work_id: row for row in WorkAssessment.objects.filter(work_id__in=ids)}
        stored_aspects: dict[int, list[AspectAssessment]] = {work_id: [] for work_id in ids}
        for aspect in AspectAssessment.objects.filter(work_id__in=ids):
            stored_aspects[aspect.work_id].append(aspect)
        computed = _computed(batch)
        for work in batch:
            want = _comparable(*computed[work.pk])
            have = _comparable(stored.get(work.pk), stored_aspects[work.pk])
            if have is None:
                problems.append(f"work {work.pk} ({work.title}): no stored assessment")
            elif have != want:
                parts = [name for name in want[0] if want[0][name] != have[0][name]]
                if want[1] != have[1]:
                    parts.append("aspects")
                problems.append(
                    f"work {work.pk} ({work.title}): stored differs in {', '.join(parts)}"
                )
    return problems
