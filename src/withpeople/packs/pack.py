"""The evidence pack for inspection: what a piece of work, or an organisation over a period,
can show an inspector, a partner or a sceptical manager, gathered in one place.

A pack holds, for each piece of work: the plan and its openness statement, each aspect's ladder
with the reasons the evidence gives, the flags, the results of the last closed check-in round
(as suppressed by `withpeople.domain.suppression`, through the work record), decisions with
whether and when partners were told, the values figures, the working agreement in force and a
summary of the history. It names when it was made and carries a SHA-256 checksum of the records
it was made from, so a reader can tell whether two packs describe the same evidence.

The pack is built here, once, as plain data; `withpeople.packs.render` turns it into the web
page and the PDF, so both always say the same thing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from withpeople.core.domain_text import flag_text, reason_label, translate
from withpeople.core.ladder_labels import level_label, rung_name_of
from withpeople.domain import values as value_rules
from withpeople.domain import work_record as wr
from withpeople.domain.assessment import (
    NO_BACK_OFFICE_STAFF,
    NO_FRONTLINE_STAFF,
    assess_with_reasons,
)
from withpeople.domain.history import Summary, summarise
from withpeople.domain.ladder import TOP, is_partner
from withpeople.domain.suppression import CHECKIN_THRESHOLD
from withpeople.groups.models import AgreementVersion
from withpeople.organisations.models import Organisation
from withpeople.works.history import history_summaries
from withpeople.works.ladder_svg import column_labels, ladder_svg
from withpeople.works.models import Decision, Work
from withpeople.works.selectors import latest_closed_rounds, work_records_for

# --- The checksum of the record a pack was made from ---------------------------------------------


def canonical_record(work: Work, record: wr.WorkRecord) -> bytes:
    """The work record of a piece of work as canonical JSON (UTF-8, keys sorted, no spaces): the
    one place that says which record a pack's checksum is taken over.

    Today that is ``withpeople.work/1``, built from `record`; when the fuller record is the
    export, this function alone changes (it has the piece of work for that), and every pack
    made after says so by its checksum.
    """
    return _canonical(wr.work_record_to_dict(record))


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def checksum(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()


def combined_checksum(canonical_by_work: dict[int, bytes]) -> str:
    """One checksum for several records: SHA-256 of the canonical records, in the order of the
    pieces of work's ids, each on its own line. For one piece of work it is that record's own."""
    if len(canonical_by_work) == 1:
        return checksum(next(iter(canonical_by_work.values())))
    return checksum(b"\n".join(canonical_by_work[key] for key in sorted(canonical_by_work)))


# --- The history ---------------------------------------------------------------------------------


#: The history of a piece of work with nothing in the period.
NOTHING_CHANGED = summarise([])


def history_summary(
    works: Sequence[Work], start: dt.date | None, end: dt.date
) -> tuple[Summary, dict[int, Summary]]:
    """What the history of these pieces of work holds for the period (records, changes,
    withdrawals and removals, and by whom), in all and for each piece of work by id: the kept
    versions of the work, its aspects, activities and decisions, and its working agreement."""
    return history_summaries(Work.objects.filter(pk__in=[work.pk for work in works]), start, end)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- What a pack holds ---------------------------------------------------------------------------


@dataclass
class AspectSection:
    name: str
    intended: str
    evidenced: str
    steps_down: bool
    reason_label: str
    reason_explanation: str
    rungs: list[tuple[str, str]]
    partners: str
    staff: str
    ladder_src: str
    ladder_alt: str
    why: list[str]
    flags: list[Any]


@dataclass
class DecisionRow:
    aspect: str
    date: dt.date
    summary: str
    decided_by: str
    partner_input_changed_it: bool
    change: str
    feedback_given_on: dt.date | None


@dataclass
class ValuesFigures:
    places: int
    partner_share_percent: float | None
    decisions: int
    decisions_told: int
    median_days_to_feedback: int | None
    frontline_took_part: bool | None = None
    back_office_took_part: bool | None = None
    partner_chairs: bool | None = None


@dataclass
class WorkSection:
    work: Work
    level: str
    leads: list[str]
    openness_published: bool
    aspects: list[AspectSection]
    work_flags: list[Any]
    checkin_round: str
    checkin_closed_on: dt.date | None
    activities: int
    decisions: list[DecisionRow]
    values: ValuesFigures
    agreement: AgreementVersion | None
    history: Summary
    checksum: str

    @property
    def flag_count(self) -> int:
        return len(self.work_flags) + sum(len(aspect.flags) for aspect in self.aspects)


@dataclass
class Pack:
    organisation: Organisation
    title: str
    made_at: dt.datetime
    start: dt.date | None
    end: dt.date
    works: list[WorkSection]
    checksum: str
    values: ValuesFigures
    history: Summary
    #: For an organisation pack: the period it covers; None for one piece of work.
    is_organisation: bool = False
    notes: list[str] = field(default_factory=list)


def _in_period(day: dt.date, start: dt.date | None, end: dt.date) -> bool:
    return (start is None or day >= start) and day <= end


def _ladder_alt(name: str, rungs: dict[str, str | None], missing: dict[str, str]) -> str:
    labels = column_labels()
    parts = [f"{labels[key]}: {rung_name_of(slug) or missing[key]}" for key, slug in rungs.items()]
    return _("The ladder for %(name)s. %(rungs)s.") % {"name": name, "rungs": "; ".join(parts)}


def _aspects(
    record: wr.WorkRecord, assessment: dict[str, Any], work_pk: int
) -> list[AspectSection]:
    labels = column_labels()
    hidden = _("not shown (fewer than %(threshold)s answers)") % {"threshold": CHECKIN_THRESHOLD}
    missing = {
        "intended": "",
        "partners": hidden,
        "staff": hidden,
        "evidenced": _("no evidence yet"),
    }
    sections = []
    for index, (plan, result) in enumerate(zip(record.aspects, assessment["aspects"], strict=True)):
        rungs = {
            "intended": result["intended"],
            "partners": result["perceived"]["partners"],
            "staff": result["perceived"]["staff"],
            "evidenced": result["evidenced"],
        }
        svg = ladder_svg(caption_id=f"pack-{work_pk}-{index}", rungs=rungs)
        sections.append(
            AspectSection(
                name=plan.name,
                intended=rung_name_of(result["intended"]),
                evidenced=rung_name_of(result["evidenced"]) or _("No evidence yet"),
                steps_down=plan.intended_rung != TOP.slug,
                reason_label=reason_label(plan.reason.category) if plan.reason else "",
                reason_explanation=plan.reason.explanation if plan.reason else "",
                rungs=[
                    (labels[key], rung_name_of(slug) or missing[key].capitalize())
                    for key, slug in rungs.items()
                ],
                partners=rung_name_of(rungs["partners"]) or missing["partners"].capitalize(),
                staff=rung_name_of(rungs["staff"]) or missing["staff"].capitalize(),
                ladder_src="data:image/svg+xml;base64,"
                + base64.b64encode(str(svg).encode()).decode("ascii"),
                ladder_alt=_ladder_alt(plan.name, rungs, missing),
                why=[translate(reason) for reason in result["why"]],
                flags=[flag_text(flag) for flag in result["flags"]],
            )
        )
    return sections


def _values(record: wr.WorkRecord, flags: Iterable[str]) -> ValuesFigures:
    figures = value_rules.work_values(record)
    places = sum(len(activity.participants) for activity in record.activities)
    flags = set(flags)
    return ValuesFigures(
        places=places,
        partner_share_percent=figures["partner_share_percent"],
        decisions=len(record.decisions),
        decisions_told=len(record.decisions) - figures["decisions_without_feedback"],
        median_days_to_feedback=figures["median_days_to_feedback"],
        frontline_took_part=NO_FRONTLINE_STAFF not in flags,
        back_office_took_part=NO_BACK_OFFICE_STAFF not in flags,
        partner_chairs=figures["partner_chairs"],
    )


def _total_values(records: Iterable[wr.WorkRecord]) -> ValuesFigures:
    """The values across several pieces of work: every place and every decision counted once."""
    places = partner_places = 0
    decisions: list[tuple[dt.date, dt.date | None]] = []
    for record in records:
        partners = {person.ref for person in record.people if is_partner(person.perspective)}
        for activity in record.activities:
            places += len(activity.participants)
            partner_places += sum(1 for ref in activity.participants if ref in partners)
        decisions.extend((d.date, d.feedback_given_on) for d in record.decisions)
    waits = value_rules.days_to_feedback(decisions)
    return ValuesFigures(
        places=places,
        partner_share_percent=value_rules.percent(partner_places, places),
        decisions=len(decisions),
        decisions_told=sum(1 for _decided, told in decisions if told is not None),
        median_days_to_feedback=value_rules.lower_median(waits),
    )


def _agreements_in_force(works: Sequence[Work], end: dt.date) -> dict[int, AgreementVersion]:
    """The version of each work's group's agreement in force at the end of the period: the
    latest written by then (versions are never changed, only followed by new ones)."""
    in_force: dict[int, AgreementVersion] = {}
    for version in (
        AgreementVersion.objects.filter(
            agreement__group_id__in=[work.group_id for work in works],
            created_at__lt=_day_start(end + dt.timedelta(days=1)),
        )
        .select_related("agreement")
        .order_by("agreement__group_id", "-number")
    ):
        in_force.setdefault(version.agreement.group_id, version)
    return in_force


def _for_period(record: wr.WorkRecord, start: dt.date | None, end: dt.date) -> wr.WorkRecord:
    """The record with only the activities and decisions dated in the period."""
    return replace(
        record,
        activities=tuple(a for a in record.activities if _in_period(a.date, start, end)),
        decisions=tuple(d for d in record.decisions if _in_period(d.date, start, end)),
    )


def build_pack(
    *,
    organisation: Organisation,
    works: Sequence[Work],
    start: dt.date | None = None,
    end: dt.date | None = None,
    is_organisation: bool = False,
    title: str = "",
) -> Pack:
    """The pack of these pieces of work, with decisions and figures for the period given.

    The ladder of each aspect is assessed from the whole record as it stands when the pack is
    made; the decisions, the values figures and the history are those of the period.
    """
    made_at = timezone.now()
    end = end or timezone.localdate(made_at)
    works = sorted(works, key=lambda work: work.pk)
    records = work_records_for(works)
    canonical = {work.pk: canonical_record(work, records[work.pk]) for work in works}
    rounds = latest_closed_rounds(works)
    agreements = _agreements_in_force(works, end)
    leads: defaultdict[int, list[str]] = defaultdict(list)
    for work_id, name in (
        Work.leads.through.objects.filter(work_id__in=[w.pk for w in works])
        .order_by("membership__user__name")
        .values_list("work_id", "membership__user__name")
    ):
        leads[work_id].append(name)
    decisions: defaultdict[int, list[DecisionRow]] = defaultdict(list)
    decision_rows = (
        Decision.objects.filter(work__in=works).select_related("aspect").order_by("date", "pk")
    )
    if start is not None:
        decision_rows = decision_rows.filter(date__gte=start)
    for decision in decision_rows.filter(date__lte=end):
        decisions[decision.work_id].append(
            DecisionRow(
                aspect=decision.aspect.name,
                date=decision.date,
                summary=decision.summary,
                decided_by=decision.get_decided_by_display(),
                partner_input_changed_it=decision.partner_input_changed_it,
                change=decision.change,
                feedback_given_on=decision.feedback_given_on,
            )
        )

    history, history_by_work = history_summary(works, start, end)
    sections = []
    period_records = []
    for work in works:
        record = records[work.pk]
        assessment = assess_with_reasons(record)
        in_period = _for_period(record, start, end)
        period_records.append(in_period)
        checkin_round = rounds.get(work.pk)
        sections.append(
            WorkSection(
                work=work,
                level=level_label(work.level),
                leads=leads[work.pk],
                openness_published=work.openness_published_at is not None,
                aspects=_aspects(record, assessment, work.pk),
                work_flags=[flag_text(flag) for flag in assessment["work"]["flags"]],
                checkin_round=checkin_round.name if checkin_round else "",
                checkin_closed_on=(
                    timezone.localdate(checkin_round.closed_at) if checkin_round else None
                ),
                activities=len(in_period.activities),
                decisions=decisions[work.pk],
                values=_values(in_period, assessment["work"]["flags"]),
                agreement=agreements.get(work.group_id),
                history=history_by_work.get(work.pk, NOTHING_CHANGED),
                checksum=checksum(canonical[work.pk]),
            )
        )
    return Pack(
        organisation=organisation,
        title=title or (works[0].title if len(works) == 1 else organisation.name),
        made_at=made_at,
        start=start,
        end=end,
        works=sections,
        checksum=combined_checksum(canonical) if canonical else checksum(_canonical([])),
        values=_total_values(period_records),
        history=history,
        is_organisation=is_organisation,
    )


def work_pack(work: Work) -> Pack:
    """The evidence pack of one piece of work, over its whole history."""
    return build_pack(organisation=work.organisation, works=[work])


def works_in_period(works: QuerySet[Work], start: dt.date, end: dt.date) -> QuerySet[Work]:
    """The pieces of work that ran during the period: started by its end (or undated and
    created by then), and not finished before it began."""
    return works.filter(
        Q(starts_on__lte=end)
        | Q(starts_on__isnull=True, created_at__lt=_day_start(end + dt.timedelta(days=1))),
        Q(ends_on__gte=start) | Q(ends_on__isnull=True),
    )


def organisation_pack(
    organisation: Organisation, works: QuerySet[Work], start: dt.date, end: dt.date
) -> Pack:
    """The evidence pack of an organisation over a period: every piece of work in `works` (those
    the reader may see) that ran during it."""
    chosen = list(
        works_in_period(works.filter(organisation=organisation), start, end).select_related(
            "organisation", "group"
        )
    )
    return build_pack(
        organisation=organisation,
        works=chosen,
        start=start,
        end=end,
        is_organisation=True,
        title=organisation.name,
    )
