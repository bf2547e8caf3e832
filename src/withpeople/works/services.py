"""Writes to pieces of work, their aspects, evidence and check-ins. Each is one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Max, PositiveIntegerField, Value, When
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from withpeople.domain import work_record as wr
from withpeople.domain.ladder import RUNG_SLUGS, TOP, is_partner
from withpeople.groups.models import Group, GroupKind, GroupMember
from withpeople.organisations.models import Membership, Organisation
from withpeople.works.models import (
    Activity,
    ActivityKind,
    Aspect,
    CheckinReceipt,
    CheckinRound,
    CheckinTally,
    Decision,
    Participation,
    PersonRef,
    Work,
)

#: Every piece of work starts with these aspects, each at co-production (PRODUCT.md: "Start
#: every piece of work at the top of the ladder").
DEFAULT_ASPECTS: tuple[tuple[str, str], ...] = (
    ("understanding", "Understanding what matters"),
    ("designing", "Designing options"),
    ("deciding", "Deciding"),
    ("delivering", "Delivering"),
    ("reviewing", "Reviewing"),
)

#: A check-in given in WithPeople keeps only which side it came from, so that a perspective
#: held by one person in the group does not give their answer away.
PARTNER_ANSWER_PERSPECTIVE = "lived_experience"
STAFF_ANSWER_PERSPECTIVE = "other_staff"

IMPORTED_ROUND_NAME = "Imported"

# --- Pieces of work ---------------------------------------------------------------------------


@transaction.atomic
def work_create(
    *,
    organisation: Organisation,
    title: str,
    level: str,
    summary: str = "",
    status: str = "planning",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    leads: Iterable[Membership] = (),
    aspects: Iterable[tuple[str, str]] = DEFAULT_ASPECTS,
) -> Work:
    """A new piece of work with its own group and its aspects, every one at co-production."""
    group = Group(organisation=organisation, name=title[:200], kind=GroupKind.WORK)
    group.full_clean()
    group.save()
    work = Work(
        organisation=organisation,
        group=group,
        title=title,
        summary=summary,
        level=level,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    work.full_clean()
    work.save()
    work.leads.set(_own_memberships(organisation, leads))
    for position, (key, name) in enumerate(aspects):
        aspect = Aspect(work=work, key=key, name=name, position=position)
        aspect.full_clean()
        aspect.save()
    return work


def _own_memberships(organisation: Organisation, memberships: Iterable[Membership]) -> list:
    memberships = list(memberships)
    for membership in memberships:
        if membership.organisation_id != organisation.pk:
            raise ValidationError({"leads": _("Choose leads from this organisation.")})
    return memberships


@transaction.atomic
def work_update(
    *,
    work: Work,
    title: str,
    level: str,
    summary: str = "",
    status: str = "planning",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    leads: Iterable[Membership] = (),
) -> Work:
    work.title = title
    work.level = level
    work.summary = summary
    work.status = status
    work.starts_on = starts_on
    work.ends_on = ends_on
    work.full_clean()
    work.save()
    work.leads.set(_own_memberships(work.organisation, leads))
    if work.group.name != title[:200]:
        work.group.name = title[:200]
        work.group.save(update_fields=["name"])
    return work


@transaction.atomic
def work_publish(*, work: Work) -> Work:
    """Publish the openness statement: each aspect's intended rung and every reason."""
    work.openness_published_at = timezone.now()
    work.save(update_fields=["openness_published_at", "updated_at"])
    return work


@transaction.atomic
def work_unpublish(*, work: Work) -> Work:
    work.openness_published_at = None
    work.save(update_fields=["openness_published_at", "updated_at"])
    return work


# --- Aspects ----------------------------------------------------------------------------------


def _unique_key(work: Work, name: str) -> str:
    base = slugify(name)[: wr.ASPECT_KEY_MAX_LENGTH - 4] or "aspect"
    taken = set(work.aspects.values_list("key", flat=True))
    key, number = base, 2
    while key in taken:
        key = f"{base}-{number}"
        number += 1
    return key


@transaction.atomic
def aspect_add(*, work: Work, name: str) -> Aspect:
    """A new aspect at the end, starting at the top of the ladder like every other."""
    last = work.aspects.aggregate(last=Max("position"))["last"]
    aspect = Aspect(
        work=work,
        key=_unique_key(work, name),
        name=name,
        position=0 if last is None else last + 1,
    )
    aspect.full_clean()
    aspect.save()
    return aspect


@transaction.atomic
def aspect_update(
    *,
    aspect: Aspect,
    name: str,
    intended_rung: str,
    reason_category: str = "",
    reason_explanation: str = "",
) -> Aspect:
    """Rename an aspect or change its intended rung. A step down needs a reason; at the top,
    any old reason is cleared so the openness statement never shows a reason for nothing."""
    aspect.name = name
    aspect.intended_rung = intended_rung
    if intended_rung == TOP.slug:
        aspect.reason_category = ""
        aspect.reason_explanation = ""
    else:
        aspect.reason_category = reason_category
        aspect.reason_explanation = reason_explanation
    aspect.full_clean()
    aspect.save()
    return aspect


@transaction.atomic
def aspect_remove(*, aspect: Aspect) -> None:
    """Remove an aspect with its activities, decisions and check-in tallies."""
    aspect.delete()


@transaction.atomic
def aspect_move(*, aspect: Aspect, up: bool) -> None:
    """Swap an aspect with the one above (or below) it."""
    aspects = list(aspect.work.aspects.select_for_update().order_by("position", "id"))
    index = next(i for i, a in enumerate(aspects) if a.pk == aspect.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(aspects):
        aspects[index], aspects[other] = aspects[other], aspects[index]
    for position, item in enumerate(aspects):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


# --- People -----------------------------------------------------------------------------------


@transaction.atomic
def work_member_add(
    *,
    work: Work,
    name: str,
    perspective: str,
    role: str = wr.DEFAULT_ROLE,
    membership: Membership | None = None,
    ref: str = "",
) -> GroupMember:
    """Add someone to the group of a piece of work, with or without an account."""
    if membership is not None:
        if membership.organisation_id != work.organisation_id:
            raise ValidationError({"membership": _("Choose someone from this organisation.")})
        if work.group.members.filter(membership=membership).exists():
            raise ValidationError(
                {"membership": _("This person is already in the group. Choose someone else.")}
            )
    member = GroupMember(
        group=work.group, name=name, perspective=perspective, role=role, membership=membership
    )
    member.full_clean()
    member.save()
    if ref:
        person_ref = PersonRef(member=member, ref=ref)
        person_ref.full_clean()
        person_ref.save()
    return member


# --- Evidence ---------------------------------------------------------------------------------


def _check_participants(work: Work, participants: Iterable[GroupMember]) -> list[GroupMember]:
    participants = list(participants)
    if any(member.group_id != work.group_id for member in participants):
        raise ValidationError({"participants": _("Choose people from this piece of work.")})
    return participants


@transaction.atomic
def activity_save(
    *,
    work: Work,
    aspect: Aspect,
    date: dt.date,
    kind: str,
    title: str = "",
    notes: str = "",
    participants: Iterable[GroupMember] = (),
    activity: Activity | None = None,
    **parts: bool,
) -> Activity:
    """Record an activity, or change one: when it was, who took part and what part partners had."""
    unknown = set(parts) - set(wr.PARTNER_PARTS)
    if unknown:
        raise TypeError(f"unknown parts: {sorted(unknown)}")
    if aspect.work_id != work.pk:
        raise ValidationError({"aspect": _("Choose an aspect of this piece of work.")})
    activity = activity or Activity(work=work)
    activity.aspect = aspect
    activity.date = date
    activity.kind = kind
    activity.title = title
    activity.notes = notes
    for part in wr.PARTNER_PARTS:
        setattr(activity, part, bool(parts.get(part, False)))
    # The portable record allows any kind of activity ("working group", "drop-in"); the web
    # form offers the usual ones.
    activity.full_clean(exclude=None if kind in ActivityKind.values else ["kind"])
    activity.save()
    members = _check_participants(work, participants)
    activity.participations.all().delete()
    Participation.objects.bulk_create(
        Participation(activity=activity, member=member) for member in members
    )
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    activity.delete()


@transaction.atomic
def decision_save(
    *,
    work: Work,
    aspect: Aspect,
    date: dt.date,
    summary: str,
    decided_by: str,
    partner_input_changed_it: bool = False,
    change: str = "",
    feedback_given_on: dt.date | None = None,
    decision: Decision | None = None,
) -> Decision:
    """Record a decision, or change one: what, who decided, and when partners were told."""
    if aspect.work_id != work.pk:
        raise ValidationError({"aspect": _("Choose an aspect of this piece of work.")})
    decision = decision or Decision(work=work)
    decision.aspect = aspect
    decision.date = date
    decision.summary = summary
    decision.decided_by = decided_by
    decision.partner_input_changed_it = partner_input_changed_it
    decision.change = change
    decision.feedback_given_on = feedback_given_on
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision) -> None:
    decision.delete()


# --- Check-ins --------------------------------------------------------------------------------


@transaction.atomic
def checkin_round_open(*, work: Work, name: str) -> CheckinRound:
    if work.checkin_rounds.open().exists():
        raise ValidationError(
            _("A check-in round is already open. Close it before opening another.")
        )
    checkin_round = CheckinRound(work=work, name=name)
    checkin_round.full_clean()
    checkin_round.save()
    _checkin_tallies_create(checkin_round)
    return checkin_round


def _checkin_tallies_create(checkin_round: CheckinRound) -> None:
    """Every tally of the round at 0, for any aspect that has none yet (one added since it
    opened). Rows are made for every rung and side at once, never for the answer given, so the
    order rows were made in says nothing about what anyone said."""
    CheckinTally.objects.bulk_create(
        [
            CheckinTally(round=checkin_round, aspect=aspect, perspective=perspective, rung=rung)
            for aspect in checkin_round.work.aspects.all()
            for perspective in (PARTNER_ANSWER_PERSPECTIVE, STAFF_ANSWER_PERSPECTIVE)
            for rung in RUNG_SLUGS
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def checkin_round_close(*, checkin_round: CheckinRound) -> CheckinRound:
    """Close a round, so its results are shown, and delete its receipts: nobody can answer any
    more, so who answered need not be kept."""
    checkin_round.closed_at = timezone.now()
    checkin_round.save(update_fields=["closed_at"])
    checkin_round.receipts.all().delete()
    return checkin_round


def checkin_member(work: Work, membership: Membership) -> GroupMember | None:
    """The group member who may check in for this account, if they are in the group."""
    return work.group.members.current().filter(membership=membership).first()


@transaction.atomic
def checkin_submit(
    *, checkin_round: CheckinRound, membership: Membership, answers: Mapping[Aspect, str]
) -> None:
    """Record one person's anonymous answers: a receipt naming them, and 1 added to the tally
    of each rung they chose, naming nobody.

    Both are written in one transaction, so there is never a receipt without its answers or
    answers without a receipt. The answers go in as one update of every tally of the round
    (adding 0 where they did not choose), so that no row is written for this person alone: on
    PostgreSQL every row then carries the same transaction id (``xmin``) as the receipt, which
    points to none of them in particular.
    """
    checkin_round = CheckinRound.objects.select_for_update().get(pk=checkin_round.pk)
    if not checkin_round.is_open:
        raise ValidationError(_("This check-in round has closed."))
    member = checkin_member(checkin_round.work, membership)
    if member is None:
        raise ValidationError(_("Only people in the group of this piece of work can check in."))
    if CheckinReceipt.objects.filter(round=checkin_round, membership=membership).exists():
        raise ValidationError(_("You have already checked in for this round. Thank you."))
    for aspect, rung in answers.items():
        if aspect.work_id != checkin_round.work_id:
            raise ValidationError(_("Answer only about aspects of this piece of work."))
        if rung not in RUNG_SLUGS:
            raise ValidationError(_("Choose a rung of the ladder for every aspect."))
    receipt = CheckinReceipt(round=checkin_round, membership=membership)
    receipt.full_clean()
    receipt.save()
    perspective = (
        PARTNER_ANSWER_PERSPECTIVE if is_partner(member.perspective) else STAFF_ANSWER_PERSPECTIVE
    )
    _checkin_tallies_create(checkin_round)
    chosen = [
        When(aspect_id=aspect.pk, perspective=perspective, rung=rung, then=Value(1))
        for aspect, rung in answers.items()
    ]
    CheckinTally.objects.filter(round=checkin_round).update(
        count=F("count") + Case(*chosen, default=Value(0), output_field=PositiveIntegerField())
    )


# --- Import -----------------------------------------------------------------------------------


def record_problems(record: wr.WorkRecord) -> list[str]:
    """Problems with a valid record that WithPeople cannot store, one line each, by path."""
    problems = []

    def too_long(path: str, value: str, limit: int) -> None:
        if len(value) > limit:
            problems.append(
                f"{path}: is {len(value)} characters long; WithPeople keeps up to {limit}, "
                "so shorten it"
            )

    too_long("title", record.title, 200)
    for index, aspect in enumerate(record.aspects):
        too_long(f"aspects[{index}].name", aspect.name, 200)
    for index, person in enumerate(record.people):
        too_long(f"people[{index}].ref", person.ref, 150)
    for index, activity in enumerate(record.activities):
        too_long(f"activities[{index}].kind", activity.kind, 60)
    return problems


@transaction.atomic
def work_import(*, organisation: Organisation, record: wr.WorkRecord) -> Work:
    """Save a parsed work record as a new piece of work. Raise `WorkRecordInvalid` for a record
    WithPeople cannot store; nothing is saved then."""
    problems = record_problems(record)
    if problems:
        raise wr.WorkRecordInvalid(problems)
    work = work_create(
        organisation=organisation,
        title=record.title,
        level=record.level,
        summary=record.summary,
        aspects=(),
    )
    aspects = {}
    for position, plan in enumerate(record.aspects):
        aspect = Aspect(
            work=work,
            key=plan.key,
            name=plan.name,
            position=position,
            intended_rung=plan.intended_rung,
            reason_category=plan.reason.category if plan.reason else "",
            reason_explanation=plan.reason.explanation if plan.reason else "",
        )
        aspect.full_clean()
        aspect.save()
        aspects[plan.key] = aspect
    members = {
        person.ref: work_member_add(
            work=work,
            name=person.ref,
            perspective=person.perspective,
            role=person.role,
            ref=person.ref,
        )
        for person in record.people
    }
    for item in record.activities:
        activity_save(
            work=work,
            aspect=aspects[item.aspect],
            date=item.date,
            kind=item.kind,
            participants=[members[ref] for ref in item.participants],
            **{part: getattr(item, part) for part in wr.PARTNER_PARTS},
        )
    for item in record.decisions:
        decision_save(
            work=work,
            aspect=aspects[item.aspect],
            date=item.date,
            summary=item.summary,
            decided_by=item.decided_by,
            partner_input_changed_it=item.partner_input_changed_it,
            change=item.change,
            feedback_given_on=item.feedback_given_on,
        )
    if record.checkins:
        now = timezone.now()
        checkin_round = CheckinRound.objects.create(
            work=work, name=IMPORTED_ROUND_NAME, opened_at=now, closed_at=now, imported=True
        )
        CheckinTally.objects.bulk_create(
            CheckinTally(
                round=checkin_round,
                aspect=aspects[aspect_key],
                perspective=perspective,
                rung=rung,
                count=count,
            )
            for (aspect_key, perspective, rung), count in wr.checkin_counts(record.checkins).items()
        )
    return work
