"""Reads of pieces of work: the work record built from the database, and its assessment.

`work_records_for` is the one place that turns rows into a `WorkRecord`, so the web pages, the
API, the export and the commands all assess exactly the same thing with the pure rules in
`withpeople.domain`. It runs the same small number of queries however many pieces of work,
activities or decisions there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from withpeople.domain import work_record as wr
from withpeople.domain.assessment import WORK_FLAGS, assess
from withpeople.domain.ladder import TOP, is_partner
from withpeople.domain.suppression import CHECKIN_THRESHOLD, is_suppressed
from withpeople.domain.text import message_from_data
from withpeople.groups.models import GroupMember
from withpeople.works.models import (
    FLAG_FIELDS,
    Activity,
    Aspect,
    AspectAssessment,
    CheckinRound,
    CheckinTally,
    Decision,
    Participation,
    RecordLead,
    Work,
    WorkAssessment,
)


def record_refs(members: Iterable[tuple[int, str | None]]) -> dict[int, str]:
    """The ref of each member of one piece of work in its record, by member id.

    `members` gives each member's id and the ref imported with them, if any. Imported refs are
    kept; anyone else is ``person-<id>``, never their name, since the record is portable and
    names stay in WithPeople. An imported ref may already be ``person-<id>`` of someone added
    later on the web, and a record with two people of one ref would not import, so such a
    person gets ``person-<id>-2`` (or -3, and so on). Refs depend only on the member's id and
    the imported refs, which never change, so each person keeps the same ref in every export.
    """
    members = list(members)
    refs = {member_id: ref for member_id, ref in members if ref is not None}
    taken = set(refs.values())
    for member_id, ref in members:
        if ref is not None:
            continue
        candidate, number = f"person-{member_id}", 2
        while candidate in taken:
            candidate = f"person-{member_id}-{number}"
            number += 1
        refs[member_id] = candidate
        taken.add(candidate)
    return refs


def latest_closed_rounds(works: Iterable[Work]) -> dict[int, CheckinRound]:
    """Each work's most recently closed check-in round, the one whose results are shown."""
    latest: dict[int, CheckinRound] = {}
    for checkin_round in (
        CheckinRound.objects.filter(work__in=list(works))
        .closed()
        .order_by("work_id", "-closed_at", "-id")
    ):
        latest.setdefault(checkin_round.work_id, checkin_round)
    return latest


def _checkins(
    counts: dict[tuple[str, str, str], int], round_: CheckinRound, aspect_keys: list[str]
) -> tuple[wr.CheckIn, ...]:
    """The check-ins of a round as the record shows them: one per answer counted.

    Answers given in WithPeople are left out of the record wherever partners or staff gave
    fewer than the threshold for an aspect, so that no export or API response carries one
    person's answer on its own (PRODUCT.md principle 5). The assessment shows no perceived rung
    for such a group anyway, so nothing it shows changes. Imported answers came from the file
    and all go back into it.
    """
    if not round_.imported:
        sizes: defaultdict[tuple[str, bool], int] = defaultdict(int)
        for (aspect, perspective, _rung), count in counts.items():
            sizes[(aspect, is_partner(perspective))] += count
        counts = {
            key: count
            for key, count in counts.items()
            if not is_suppressed(sizes[(key[0], is_partner(key[1]))], CHECKIN_THRESHOLD)
        }
    return wr.checkins_from_counts(counts, aspect_keys)


def work_records_for(works: Iterable[Work], *, full: bool = False) -> dict[int, wr.WorkRecord]:
    """The work record of each piece of work, by id, in seven queries whatever the size.

    With `full`, the record also has what only ``withpeople.work/2`` carries and the assessment
    does not read (leads and check-in rounds), in three queries more.
    """
    works = list(works)
    ids = [work.pk for work in works]
    aspects: defaultdict[int, list[Aspect]] = defaultdict(list)
    key_of: dict[int, str] = {}
    for aspect in Aspect.objects.filter(work_id__in=ids).order_by("work_id", "position", "id"):
        aspects[aspect.work_id].append(aspect)
        key_of[aspect.pk] = aspect.key

    group_to_work = {work.group_id: work.pk for work in works}
    members_of: defaultdict[int, list[tuple[int, str, str, str | None, str]]] = defaultdict(list)
    #: The ref of each account in each work's group, by (work id, membership id).
    account_ref: dict[tuple[int, int], str] = {}
    account_of: dict[int, int] = {}
    for member_id, group_id, perspective, role, ref, name, membership_id in (
        GroupMember.objects.filter(group_id__in=list(group_to_work))
        .order_by("group_id", "id")
        .values_list(
            "id", "group_id", "perspective", "role", "record_ref__ref", "name", "membership_id"
        )
    ):
        members_of[group_to_work[group_id]].append((member_id, perspective, role, ref, name))
        if membership_id is not None:
            account_of[member_id] = membership_id
    people: defaultdict[int, list[wr.Person]] = defaultdict(list)
    ref_of: dict[int, str] = {}
    for work_id, work_members in members_of.items():
        refs = record_refs((member_id, ref) for member_id, _p, _r, ref, _n in work_members)
        ref_of.update(refs)
        people[work_id] = [
            wr.Person(refs[member_id], perspective, role, name)
            for member_id, perspective, role, _ref, name in work_members
        ]
        for member_id in refs:
            if member_id in account_of:
                account_ref[(work_id, account_of[member_id])] = refs[member_id]

    participants: defaultdict[int, list[str]] = defaultdict(list)
    for activity_id, member_id in (
        Participation.objects.filter(activity__work_id__in=ids)
        .filter(**({} if full else {"activity__withdrawn_at__isnull": True}))
        .order_by("id")
        .values_list("activity_id", "member_id")
    ):
        if member_id in ref_of:
            participants[activity_id].append(ref_of[member_id])

    activities: defaultdict[int, list[wr.Activity]] = defaultdict(list)
    # Withdrawn evidence no longer counts: it is shown as withdrawn and kept in the history. The
    # full record (``/2``) carries it, marked withdrawn; the assessment leaves it out (`in_force`).
    entries = (
        (Activity.objects.all(), Decision.objects.all())
        if full
        else (Activity.objects.counted(), Decision.objects.counted())
    )
    recorders = ("recorded_by__user", "withdrawn_by__user")
    for activity in entries[0].filter(work_id__in=ids).select_related(*recorders).order_by("id"):
        activities[activity.work_id].append(
            wr.Activity(
                aspect=key_of[activity.aspect_id],
                date=activity.date,
                kind=activity.kind,
                participants=tuple(participants[activity.pk]),
                title=activity.title,
                notes=activity.notes,
                **{part: getattr(activity, part) for part in wr.PARTNER_PARTS},
                **recording_of(activity, activity.work_id, account_ref),
            )
        )

    decisions: defaultdict[int, list[wr.Decision]] = defaultdict(list)
    for decision in entries[1].filter(work_id__in=ids).select_related(*recorders).order_by("id"):
        decisions[decision.work_id].append(
            wr.Decision(
                aspect=key_of[decision.aspect_id],
                date=decision.date,
                summary=decision.summary,
                decided_by=decision.decided_by,
                partner_input_changed_it=decision.partner_input_changed_it,
                change=decision.change,
                feedback_given_on=decision.feedback_given_on,
                **recording_of(decision, decision.work_id, account_ref),
            )
        )

    rounds = latest_closed_rounds(works)
    counts: defaultdict[int, dict[tuple[str, str, str], int]] = defaultdict(dict)
    round_work = {r.pk: work_id for work_id, r in rounds.items()}
    if round_work:
        for round_id, aspect_id, perspective, rung, count in CheckinTally.objects.filter(
            round_id__in=list(round_work), count__gt=0
        ).values_list("round_id", "aspect_id", "perspective", "rung", "count"):
            counts[round_work[round_id]][(key_of[aspect_id], perspective, rung)] = count

    leads: defaultdict[int, list[wr.Someone]] = defaultdict(list)
    all_rounds: defaultdict[int, list[wr.CheckinRoundInfo]] = defaultdict(list)
    if full:
        # Leads with an account first, by name, then those named in an imported record.
        for work_id, membership_id, name in (
            Work.leads.through.objects.filter(work_id__in=ids)
            .order_by("work_id", "membership__user__name", "membership_id")
            .values_list("work_id", "membership_id", "membership__user__name")
        ):
            leads[work_id].append(wr.Someone(name, account_ref.get((work_id, membership_id))))
        for lead in RecordLead.objects.filter(work_id__in=ids).order_by("work_id", "position"):
            leads[lead.work_id].append(wr.Someone(lead.name, lead.ref or None))
        for checkin_round in CheckinRound.objects.filter(work_id__in=ids).order_by(
            "work_id", "opened_at", "id"
        ):
            all_rounds[checkin_round.work_id].append(
                wr.CheckinRoundInfo(
                    checkin_round.name,
                    checkin_round.opened_at,
                    checkin_round.closed_at,
                    checkin_round.closes_on,
                )
            )

    records = {}
    for work in works:
        records[work.pk] = wr.WorkRecord(
            title=work.title,
            level=work.level,
            summary=work.summary,
            status=work.status,
            starts_on=work.starts_on,
            ends_on=work.ends_on,
            leads=tuple(leads[work.pk]),
            checkin_rounds=tuple(all_rounds[work.pk]),
            aspects=tuple(_plan(aspect) for aspect in aspects[work.pk]),
            people=tuple(people[work.pk]),
            activities=tuple(activities[work.pk]),
            decisions=tuple(decisions[work.pk]),
            checkins=(
                _checkins(counts[work.pk], rounds[work.pk], [a.key for a in aspects[work.pk]])
                if work.pk in rounds
                else ()
            ),
        )
    return records


def work_record_for(work: Work, *, full: bool = False) -> wr.WorkRecord:
    """The portable record of one piece of work, in a fixed number of queries."""
    return work_records_for([work], full=full)[work.pk]


def recording_of(
    entry: Activity | Decision, work_id: int, account_ref: dict[tuple[int, int], str]
) -> dict[str, Any]:
    """Who recorded an activity or decision and when, and its withdrawal, for the record.

    The one place that reads them, so that they slot in where activities and decisions keep
    them: `recorded_by` (a membership), `recorded_at`, and `withdrawn_at`, `withdrawn_by` and
    `withdrawn_reason`. Until they do, an entry has none of them and the keys are left out.
    """

    def someone(membership: Any, name: str = "", ref: str = "") -> wr.Someone | None:
        if membership is None:
            # Brought in by an import: as the record named them.
            return wr.Someone(name, ref or None) if name else None
        return wr.Someone(membership.user.name, account_ref.get((work_id, membership.pk)))

    withdrawn_at = getattr(entry, "withdrawn_at", None)
    return {
        "recorded_by": someone(
            getattr(entry, "recorded_by", None),
            getattr(entry, "recorded_by_name", ""),
            getattr(entry, "recorded_by_ref", ""),
        ),
        "recorded_at": getattr(entry, "recorded_at", None),
        "withdrawn": (
            None
            if withdrawn_at is None
            else wr.Withdrawal(
                at=withdrawn_at,
                reason=getattr(entry, "withdrawn_reason", ""),
                by=someone(
                    getattr(entry, "withdrawn_by", None),
                    getattr(entry, "withdrawn_by_name", ""),
                    getattr(entry, "withdrawn_by_ref", ""),
                ),
            )
        ),
    }


def assessment_for(work: Work) -> dict[str, Any]:
    """The ``withpeople.assessment/1`` assessment of a piece of work."""
    return assess(work_record_for(work))


def work_record_json(work: Work, *, format: str = wr.FORMAT) -> dict[str, Any]:
    """The JSON of a piece of work, as exported, in the ``withpeople.work/1`` (by default) or
    ``/2`` format."""
    if format == wr.FORMAT_2:
        return wr.work_record_to_dict_2(work_record_for(work, full=True))
    return wr.work_record_to_dict(work_record_for(work))


# --- Stored assessments: what lists, counts and the API read --------------------------------

#: How the list of pieces of work can be sorted, by the value in the address.
WORK_SORTS: dict[str, tuple[str, ...]] = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "title": ("title", "id"),
    "flags": ("-assessment__flag_count", "-created_at", "-id"),
}


def works_filtered(
    works: QuerySet[Work],
    *,
    level: str = "",
    status: str = "",
    flag: str = "",
    sort: str = "newest",
) -> QuerySet[Work]:
    """These pieces of work (those the reader may see) with these filters, sorted, all in the
    database."""
    works = (
        works.select_related("assessment").defer(
            "assessment__assessment"
        )  # the columns say all a list needs
    )
    if level:
        works = works.filter(level=level)
    if status:
        works = works.filter(status=status)
    if flag:
        works = works.filter(**{f"assessment__{FLAG_FIELDS[flag]}": True})
    return works.order_by(*WORK_SORTS.get(sort, WORK_SORTS["newest"]))


def stored_aspect_rows(works: Iterable[Work]) -> dict[int, list[tuple[str, str, str, list]]]:
    """Each aspect's name, intended and evidenced rungs and flags as stored, in the aspects'
    order, by work id: one query, no model instances."""
    ids = [work.pk for work in works]
    by_work: dict[int, list[tuple[str, str, str, list]]] = {work_id: [] for work_id in ids}
    for work_id, *row in (
        AspectAssessment.objects.filter(work_id__in=ids)
        .order_by("work_id", "aspect__position", "aspect_id")
        .values_list("work_id", "aspect__name", "intended", "evidenced", "flags")
    ):
        by_work[work_id].append(tuple(row))
    return by_work


def stored_assessment(work: Work) -> dict[str, Any] | None:
    """The ``withpeople.assessment/1`` assessment of a piece of work as stored, if it is."""
    return WorkAssessment.objects.filter(work=work).values_list("assessment", flat=True).first()


def _plan(aspect: Aspect) -> wr.AspectPlan:
    """An aspect's plan as the record gives it."""
    return wr.AspectPlan(
        key=aspect.key,
        name=aspect.name,
        intended_rung=aspect.intended_rung,
        reason=(
            wr.Reason(aspect.reason_category, aspect.reason_explanation)
            if aspect.intended_rung != TOP.slug and aspect.reason_category
            else None
        ),
    )


def stored_assessment_with_reasons(
    work: Work,
) -> tuple[list[wr.AspectPlan], dict[str, Any]] | None:
    """The plan of each aspect and the assessment as stored, in the shape
    `withpeople.domain.assessment.assess_with_reasons` gives it (reasons as messages), in two
    queries however much evidence there is; None if it is not stored (it always is, once
    migrated)."""
    aspects = list(
        Aspect.objects.filter(work=work).select_related("assessment").order_by("position", "id")
    )
    flags_row = (
        WorkAssessment.objects.filter(work=work)
        .values_list(*(FLAG_FIELDS[slug] for slug in sorted(WORK_FLAGS)))
        .first()
    )
    if flags_row is None or any(not hasattr(a, "assessment") for a in aspects):
        return None
    results = []
    for aspect in aspects:
        stored = aspect.assessment
        results.append(
            {
                "key": aspect.key,
                "intended": stored.intended,
                "evidenced": stored.evidenced or None,
                "perceived": {
                    "partners": stored.perceived_partners or None,
                    "staff": stored.perceived_staff or None,
                },
                "flags": list(stored.flags),
                "why": [message_from_data(reason) for reason in stored.reasons],
            }
        )
    work_flags = [slug for slug, on in zip(sorted(WORK_FLAGS), flags_row, strict=True) if on]
    return [_plan(a) for a in aspects], {"aspects": results, "work": {"flags": work_flags}}


def flag_counts(works: QuerySet[Work]) -> dict[str, int]:
    """How many of these pieces of work there are, how many carry any flag and how many each
    flag: one query over the stored assessments."""
    counts = works.aggregate(
        work_count=Count("pk"),
        with_flags=Count("pk", filter=Q(assessment__has_flags=True)),
        **{
            slug: Count("pk", filter=Q(**{f"assessment__{field}": True}))
            for slug, field in FLAG_FIELDS.items()
        },
    )
    return counts


def works_most_flagged(works: QuerySet[Work], *, limit: int = 5) -> list[Work]:
    """Of these pieces of work, the few with the most different flags, for the overview."""
    return list(
        works.filter(assessment__has_flags=True)
        .select_related("assessment")
        .only("pk", "title", "assessment__flag_count", "organisation_id")
        .order_by("-assessment__flag_count", "-created_at", "-id")[:limit]
    )
