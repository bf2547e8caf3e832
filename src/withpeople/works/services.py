"""Writes to pieces of work, their aspects, evidence and check-ins. Each is one transaction.

Changing or withdrawing evidence (an activity or a decision) can move an aspect up or down the
ladder: withdrawing one decision made by the organisation alone can lift an aspect to co-design.
So every change and withdrawal of evidence says why, keeps the earlier version in the history
(django-simple-history: `_history_user` and `_change_reason` are set here, so every way in, the
form, the API and the import, says who and why), and leaves an entry in the audit log saying
what changed and how the evidenced rungs moved, in the same transaction. Evidence is never
deleted: it is withdrawn with a reason and no longer counts.

Every service here that changes what the assessment reads (plans, aspects, people, evidence,
closed check-ins) stores the new assessment in the same transaction (`assessment_refresh`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Max, PositiveIntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.core.domain_text import translate
from withpeople.core.ladder_labels import rung_name_of
from withpeople.domain import evidence_checks as checks
from withpeople.domain import history as history_rules
from withpeople.domain import work_record as wr
from withpeople.domain.assessment import assess
from withpeople.domain.ladder import RUNG_SLUGS, TOP, is_partner
from withpeople.groups.models import Group, GroupKind, GroupMember
from withpeople.groups.notify import recipients_of_members
from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.services import notify, site_url
from withpeople.organisations.models import Membership, Organisation
from withpeople.works.assessments import assessment_refresh, assessments_deferred
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
    RecordLead,
    Work,
)
from withpeople.works.selectors import work_record_for, work_record_json

if TYPE_CHECKING:
    from withpeople.accounts.models import User

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
    actor: User | None = None,
) -> Work:
    """A new piece of work with its own group and its aspects, every one at co-production.
    `actor`, who starts it, is the first name in its history."""
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
    _versioned(work, actor, _("Started"))
    work.full_clean()
    work.save()
    leads = _own_memberships(organisation, leads)
    work.leads.set(leads)
    # Whoever starts it set the plan: every aspect at co-production.
    starter = next((m for m in leads if actor is not None and m.user_id == actor.pk), None)
    for position, (key, name) in enumerate(aspects):
        aspect = Aspect(work=work, key=key, name=name, position=position, recorded_by=starter)
        _versioned(aspect, actor, _("Started at co-production"))
        aspect.full_clean()
        aspect.save()
    assessment_refresh(work=work)
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
    actor: User | None = None,
) -> Work:
    work.title = title
    work.level = level
    work.summary = summary
    work.status = status
    work.starts_on = starts_on
    work.ends_on = ends_on
    _versioned(work, actor, _("Changed the piece of work"))
    work.full_clean()
    work.save()
    work.leads.set(_own_memberships(work.organisation, leads))
    if work.group.name != title[:200]:
        work.group.name = title[:200]
        work.group.save(update_fields=["name"])
    assessment_refresh(work=work)
    return work


@transaction.atomic
def work_publish(
    *, work: Work, actor: User | None = None, published_by: Membership | None = None
) -> Work:
    """Publish the openness statement: each aspect's intended rung and every reason."""
    work.openness_published_at = timezone.now()
    work.openness_published_by = published_by
    _versioned(work, actor, _("Published the openness statement"))
    work.save(update_fields=["openness_published_at", "openness_published_by", "updated_at"])
    return work


@transaction.atomic
def work_unpublish(*, work: Work, actor: User | None = None) -> Work:
    work.openness_published_at = None
    work.openness_published_by = None
    _versioned(work, actor, _("Stopped publishing the openness statement"))
    work.save(update_fields=["openness_published_at", "openness_published_by", "updated_at"])
    return work


def _versioned(instance, actor: User | None, reason: str) -> None:
    """Say who makes the next version of `instance`, and why, for its history."""
    instance._history_user = actor
    instance._change_reason = reason


def _refuse_bad_reason(reason: str, *, withdrawing: bool = False) -> str:
    refuse_problems(history_rules.change_reason_problems(reason, withdrawing=withdrawing))
    return " ".join(reason.split())


def refuse_problems(
    problems: Iterable[checks.Problem], *, fields: Mapping[str, str] | None = None
) -> None:
    """Raise the problems the evidence checks found as one ValidationError, each on its field
    (renamed by `fields` where the form calls it something else), with its stable code."""
    errors: dict[str, list[ValidationError]] = {}
    for problem in problems:
        field = (fields or {}).get(problem.field, problem.field)
        errors.setdefault(field, []).append(
            ValidationError(translate(problem.message), code=problem.code)
        )
    if errors:
        raise ValidationError(errors)


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
    assessment_refresh(work=work)
    return aspect


@transaction.atomic
def aspect_update(
    *,
    aspect: Aspect,
    name: str,
    intended_rung: str,
    reason_category: str = "",
    reason_explanation: str = "",
    change_reason: str = "",
    actor: User | None = None,
    recorded_by: Membership | None = None,
) -> Aspect:
    """Rename an aspect or change its intended rung. A step down needs a reason; at the top,
    any old reason is cleared so the openness statement never shows a reason for nothing.

    A change to the plan (the rung or its reason) records who set it and when; the earlier
    plan stays in the history with `change_reason`."""
    plan_before = (aspect.intended_rung, aspect.reason_category, aspect.reason_explanation)
    aspect.name = name
    aspect.intended_rung = intended_rung
    if intended_rung == TOP.slug:
        aspect.reason_category = ""
        aspect.reason_explanation = ""
    else:
        refuse_problems(
            checks.reason_explanation_problems(reason_explanation),
            fields={"explanation": "reason_explanation"},
        )
        aspect.reason_category = reason_category
        aspect.reason_explanation = reason_explanation
    if plan_before != (aspect.intended_rung, aspect.reason_category, aspect.reason_explanation):
        aspect.recorded_by = recorded_by
        aspect.recorded_at = timezone.now()
    _versioned(aspect, actor, " ".join(change_reason.split()))
    aspect.full_clean()
    aspect.save()
    assessment_refresh(work=aspect.work)
    return aspect


@transaction.atomic
def aspect_remove(*, aspect: Aspect, actor: User | None = None) -> None:
    """Remove an aspect with its activities, decisions and check-in tallies.

    Its evidence goes with it, so the audit log says how much.
    """
    activities, decisions = aspect.activities.count(), aspect.decisions.count()
    aspect_pk = aspect.pk
    aspect.delete()
    assessment_refresh(work=aspect.work)
    audit_record(
        organisation=aspect.work.organisation,
        actor=actor,
        action=AuditEventKind.REMOVED_ASPECT,
        subject_type="works.aspect",
        subject_id=aspect_pk,
        detail=_(
            "Removed the aspect %(name)s. Activities removed with it: %(activities)s. "
            "Decisions removed with it: %(decisions)s."
        )
        % {"name": aspect.name, "activities": activities, "decisions": decisions},
    )


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
    assessment_refresh(work=aspect.work)


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
    assessment_refresh(work=work)
    return member


# --- Evidence ---------------------------------------------------------------------------------


def _evidenced_rungs(work: Work) -> dict[str, tuple[str, str | None]]:
    """Each aspect's name and evidenced rung, by key, from the record as stored now."""
    record = work_record_for(work)
    return {
        plan.key: (plan.name, result["evidenced"])
        for plan, result in zip(record.aspects, assess(record)["aspects"], strict=True)
    }


def _audit_evidence(
    *,
    work: Work,
    actor: User | None,
    action: str,
    subject: Activity | Decision,
    subject_id: int,
    before: dict[str, tuple[str, str | None]],
    what: str,
) -> None:
    """An audit entry for a change to evidence: what changed and which evidenced rungs moved."""
    moves = []
    for key, (name, rung) in _evidenced_rungs(work).items():
        old = before.get(key, (name, None))[1]
        if old != rung:
            moves.append(
                _("the evidence for %(aspect)s moved from %(old)s to %(new)s")
                % {
                    "aspect": name,
                    "old": rung_name_of(old).lower() or _("no rung"),
                    "new": rung_name_of(rung).lower() or _("no rung"),
                }
            )
    moved = "; ".join(moves) if moves else _("no evidenced rung moved")
    audit_record(
        organisation=work.organisation,
        actor=actor,
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=subject_id,
        # Not the reason given, which is free text and may name people: the history has it.
        detail=f"{what}. {moved[:1].upper()}{moved[1:]}.",
    )


def _changed_fields(instance, before: dict, after: dict) -> str:
    names = [
        str(instance._meta.get_field(name).verbose_name)
        for name in before
        if before[name] != after[name]
    ]
    return (_("Changed: %(fields)s") % {"fields": ", ".join(names)}) if names else _("No change")


def evidence_date_problems_for(
    work: Work, date: dt.date, *, of: str, confirmed: bool = False
) -> list[checks.Problem]:
    """The evidence checks of a date of this piece of work, as of today where WithPeople runs."""
    return checks.evidence_date_problems(
        date,
        today=timezone.localdate(),
        of=of,
        starts_on=work.starts_on,
        ends_on=work.ends_on,
        confirmed=confirmed,
    )


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
    organiser: Membership | None = None,
    actor: User | None = None,
    recorded_by: Membership | None = None,
    change_reason: str = "",
    date_confirmed: bool = False,
    **parts: bool,
) -> Activity:
    """Record an activity, or change one: when it was, who took part and what part partners had.

    The date must pass the evidence checks: not in the future, not more than twenty years
    ago, and, unless `date_confirmed`, within the dates of the piece of work. A new activity
    records `recorded_by` and when; a change needs `change_reason`, keeps the earlier version
    in the history and is written to the audit log, with `actor` as who made it. A withdrawn
    activity is not changed.
    """
    unknown = set(parts) - set(wr.PARTNER_PARTS)
    if unknown:
        raise TypeError(f"unknown parts: {sorted(unknown)}")
    if aspect.work_id != work.pk:
        raise ValidationError({"aspect": _("Choose an aspect of this piece of work.")})
    if activity is not None:
        _refuse_withdrawn(activity)
        change_reason = _refuse_bad_reason(change_reason)
    before = _activity_state(activity) if activity is not None else None
    rungs_before = _evidenced_rungs(work) if activity is not None else {}
    if activity is None:
        activity = Activity(work=work, recorded_by=recorded_by, recorded_at=timezone.now())
        change_reason = change_reason or _("Recorded")
    _versioned(activity, actor, change_reason)
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
    # After full_clean, which has turned the date into a date.
    refuse_problems(
        evidence_date_problems_for(
            work, activity.date, of=checks.ACTIVITY, confirmed=date_confirmed
        )
    )
    activity.save()
    members = _check_participants(work, participants)
    activity.participations.all().delete()
    Participation.objects.bulk_create(
        Participation(activity=activity, member=member) for member in members
    )
    if organiser is not None and not activity.organisers.exists():  # else nobody sees needs
        activity.organisers.add(organiser)
    assessment_refresh(work=work)
    if before is not None:
        _audit_evidence(
            work=work,
            actor=actor,
            action=AuditEventKind.CHANGED_ACTIVITY,
            subject=activity,
            subject_id=activity.pk,
            before=rungs_before,
            what=_changed_fields(activity, before, _activity_state(activity)),
        )
    return activity


def _refuse_withdrawn(evidence: Activity | Decision) -> None:
    if evidence.is_withdrawn:
        raise ValidationError(
            _("This has been withdrawn, so it cannot be changed. Record it again if it is needed.")
        )


def _activity_state(activity: Activity) -> dict:
    """What an activity says, to tell which parts of it a change touched. Only field names go
    into the audit log, never titles or notes, which may name people."""
    return {
        "aspect": activity.aspect_id,
        "date": activity.date,
        "kind": activity.kind,
        "title": activity.title,
        "notes": activity.notes,
        "participants": set(activity.participations.values_list("member_id", flat=True)),
        **{part: getattr(activity, part) for part in wr.PARTNER_PARTS},
    }


@transaction.atomic
def activity_withdraw(
    *,
    activity: Activity,
    actor: User | None,
    reason: str,
    withdrawn_by: Membership | None = None,
) -> Activity:
    """Withdraw an activity with a reason: it no longer counts as evidence, but stays, shown as
    withdrawn, in the history and the audit log."""
    return _withdraw(
        evidence=activity,
        actor=actor,
        reason=reason,
        withdrawn_by=withdrawn_by,
        action=AuditEventKind.WITHDREW_ACTIVITY,
        what=_("Withdrew the %(kind)s of %(date)s about %(aspect)s")
        % {
            "kind": activity.get_kind_display().lower(),
            "date": activity.date.isoformat(),
            "aspect": activity.aspect.name,
        },
    )


def _withdraw(
    *,
    evidence: Activity | Decision,
    actor: User | None,
    reason: str,
    withdrawn_by: Membership | None,
    action: str,
    what: str,
):
    _refuse_withdrawn(evidence)
    reason = _refuse_bad_reason(reason, withdrawing=True)
    work = evidence.work
    rungs_before = _evidenced_rungs(work)
    evidence.withdrawn_at = timezone.now()
    evidence.withdrawn_by = withdrawn_by
    evidence.withdrawn_reason = reason
    _versioned(evidence, actor, reason)
    evidence.save()
    assessment_refresh(work=work)
    _audit_evidence(
        work=work,
        actor=actor,
        action=action,
        subject=evidence,
        subject_id=evidence.pk,
        before=rungs_before,
        what=what,
    )
    return evidence


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
    actor: User | None = None,
    recorded_by: Membership | None = None,
    change_reason: str = "",
    date_confirmed: bool = False,
) -> Decision:
    """Record a decision, or change one: what, who decided, and when partners were told.

    The dates must pass the evidence checks (see `activity_save`), and, when partners' input
    changed the decision, `change` must say how. When it did not, any `change` text is
    cleared rather than kept behind the unticked box. As for activities (`activity_save`), a
    new decision records who and when, and a change says why and keeps the earlier version.
    """
    if aspect.work_id != work.pk:
        raise ValidationError({"aspect": _("Choose an aspect of this piece of work.")})
    if decision is not None:
        _refuse_withdrawn(decision)
        change_reason = _refuse_bad_reason(change_reason)
    change = checks.applicable_change(partner_input_changed_it, change)
    before = _decision_state(decision) if decision is not None else None
    rungs_before = _evidenced_rungs(work) if decision is not None else {}
    if decision is None:
        decision = Decision(work=work, recorded_by=recorded_by, recorded_at=timezone.now())
        change_reason = change_reason or _("Recorded")
    _versioned(decision, actor, change_reason)
    decision.aspect = aspect
    decision.date = date
    decision.summary = summary
    decision.decided_by = decided_by
    decision.partner_input_changed_it = partner_input_changed_it
    decision.change = change
    decision.feedback_given_on = feedback_given_on
    decision.full_clean()
    # After full_clean, which has turned the dates into dates.
    problems = evidence_date_problems_for(
        work, decision.date, of=checks.DECISION, confirmed=date_confirmed
    )
    if decision.feedback_given_on is not None:
        problems += checks.evidence_date_problems(
            decision.feedback_given_on,
            today=timezone.localdate(),
            of=checks.FEEDBACK,
            field="feedback_given_on",
        )
    refuse_problems([*problems, *checks.change_problems(partner_input_changed_it, change)])
    decision.save()
    assessment_refresh(work=work)
    if before is not None:
        _audit_evidence(
            work=work,
            actor=actor,
            action=AuditEventKind.CHANGED_DECISION,
            subject=decision,
            subject_id=decision.pk,
            before=rungs_before,
            what=_changed_fields(decision, before, _decision_state(decision)),
        )
    return decision


def _decision_state(decision: Decision) -> dict:
    return {
        "aspect": decision.aspect_id,
        "date": decision.date,
        "summary": decision.summary,
        "decided_by": decision.decided_by,
        "partner_input_changed_it": decision.partner_input_changed_it,
        "change": decision.change,
        "feedback_given_on": decision.feedback_given_on,
    }


@transaction.atomic
def decision_withdraw(
    *,
    decision: Decision,
    actor: User | None,
    reason: str,
    withdrawn_by: Membership | None = None,
) -> Decision:
    """Withdraw a decision with a reason: it no longer counts as evidence, but stays, shown as
    withdrawn, in the history and the audit log."""
    return _withdraw(
        evidence=decision,
        actor=actor,
        reason=reason,
        withdrawn_by=withdrawn_by,
        action=AuditEventKind.WITHDREW_DECISION,
        what=_("Withdrew a decision of %(date)s about %(aspect)s, made by: %(decided_by)s")
        % {
            "date": decision.date.isoformat(),
            "aspect": decision.aspect.name,
            "decided_by": decision.get_decided_by_display().lower(),
        },
    )


@transaction.atomic
def decision_outcome_tell(
    *, decision: Decision, actor: User | None, today: dt.date | None = None
) -> int:
    """Tell the work's group what was decided, and record that partners were told today.

    Closing the loop: the decision's "date partners were told" becomes today (unless it is
    already set), as a new version with the reason, so the evidence shows the loop closed.
    Returns how many people were told now; telling again tells nobody twice.
    """
    _refuse_withdrawn(decision)
    work = decision.work
    today = today or timezone.localdate()
    told = notify(
        kind=NotificationKind.DECISION_OUTCOME,
        organisation=work.organisation,
        recipients=recipients_of_members(_current_members(work)),
        template="works/notifications/decision_outcome",
        context={
            "work": work,
            "decision": decision,
            "decided_by": decision.get_decided_by_display(),
        },
        url=_work_url(work, "works:decision-edit", decision_pk=decision.pk),
        key=f"decision-{decision.pk}",
    )
    if decision.feedback_given_on is None:
        _versioned(decision, actor, _("Told the group the outcome"))
        decision.feedback_given_on = max(today, decision.date)
        decision.save()
        assessment_refresh(work=work)
    return told


# --- Check-ins --------------------------------------------------------------------------------


@transaction.atomic
def checkin_round_open(*, work: Work, name: str, closes_on: dt.date | None = None) -> CheckinRound:
    """Open a round, with a tally at 0 for every rung of every aspect, from each side.

    With `closes_on`, the round is open until the end of that day; the daily tick closes it
    after (`checkin_rounds_close_overdue`)."""
    if work.checkin_rounds.open().exists():
        raise ValidationError(
            _("A check-in round is already open. Close it before opening another.")
        )
    if closes_on is not None and closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("The closing date must be today or in the future")})
    checkin_round = CheckinRound(work=work, name=name, closes_on=closes_on)
    checkin_round.full_clean()
    checkin_round.save()
    _checkin_tallies_create(checkin_round)
    notify(
        kind=NotificationKind.CHECKIN_ROUND_OPENED,
        organisation=work.organisation,
        recipients=recipients_of_members(_current_members(work)),
        template="works/notifications/checkin_round_opened",
        context={"work": work, "round": checkin_round},
        url=_work_url(work, "works:checkin"),
        key=f"checkin-round-{checkin_round.pk}",
    )
    return checkin_round


def _current_members(work: Work):
    return work.group.members.current().select_related("membership__user")


def _work_url(work: Work, name: str, **kwargs) -> str:
    return site_url(
        reverse(name, kwargs={"org_slug": work.organisation.slug, "pk": work.pk, **kwargs})
    )


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
    assessment_refresh(work=checkin_round.work)
    return checkin_round


def checkin_rounds_close_overdue(*, today: dt.date) -> int:
    """Close every open round whose closing date was before `today`, as the "close round"
    button does. Returns how many. Safe to run twice: a round already closed is left alone."""
    closed = 0
    for round_id in CheckinRound.objects.overdue(today).values_list("pk", flat=True):
        with transaction.atomic():
            checkin_round = (
                CheckinRound.objects.select_for_update().filter(pk=round_id).open().first()
            )
            if checkin_round is None:
                continue
            checkin_round_close(checkin_round=checkin_round)
            closed += 1
    return closed


#: People who have not answered are told this many days before a round's closing date.
ROUND_CLOSING_SOON_DAYS = 2


def checkin_rounds_closing_notify(*, today: dt.date) -> int:
    """Tell each group member with an account who has not answered an open round that closes
    within two days, once per round and closing date. Returns how many were told now."""
    told = 0
    closing = CheckinRound.objects.closing_within(today, ROUND_CLOSING_SOON_DAYS).select_related(
        "work__organisation", "work__group"
    )
    for checkin_round in closing:
        work = checkin_round.work
        not_answered = (
            _current_members(work)
            .filter(membership__isnull=False)
            .exclude(membership__in=checkin_round.receipts.values("membership"))
        )
        with transaction.atomic():
            told += notify(
                kind=NotificationKind.CHECKIN_ROUND_CLOSING,
                organisation=work.organisation,
                recipients=recipients_of_members(not_answered),
                template="works/notifications/checkin_round_closing",
                context={"work": work, "round": checkin_round},
                url=_work_url(work, "works:checkin"),
                key=f"checkin-round-{checkin_round.pk}-closing-{checkin_round.closes_on}",
            )
    return told


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
    if not checkin_round.is_open or (
        checkin_round.closes_on is not None and checkin_round.closes_on < timezone.localdate()
    ):
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
    for index, lead in enumerate(record.leads):
        too_long(f"leads[{index}].name", lead.name, 150)
    for index, aspect in enumerate(record.aspects):
        too_long(f"aspects[{index}].name", aspect.name, 200)
    for index, person in enumerate(record.people):
        too_long(f"people[{index}].ref", person.ref, 150)
        too_long(f"people[{index}].name", person.name, 150)
    for index, activity in enumerate(record.activities):
        too_long(f"activities[{index}].kind", activity.kind, 60)
        too_long(f"activities[{index}].title", activity.title, 200)
    for index, checkin_round in enumerate(record.checkin_rounds):
        too_long(f"checkin_rounds[{index}].name", checkin_round.name, 100)
    return problems


def _recording_keep(entry: Activity | Decision, item: wr.Activity | wr.Decision) -> None:
    """Keep who recorded an imported entry, and its withdrawal, as the record says.

    The one place an import writes them: the names (and refs) the record gives, never an
    account, so that exporting again gives them back; the time it was recorded is the import's
    own. A withdrawn entry stays withdrawn, and so is not evidence. Written without a new
    version: the history says the entry came from a work record.
    """
    fields: dict[str, Any] = {}
    if item.recorded_by is not None:
        fields |= {
            "recorded_by": None,
            "recorded_by_name": item.recorded_by.name,
            "recorded_by_ref": item.recorded_by.ref or "",
        }
    if item.withdrawn is not None:
        by = item.withdrawn.by
        fields |= {
            "withdrawn_at": item.withdrawn.at,
            "withdrawn_reason": item.withdrawn.reason,
            "withdrawn_by_name": by.name if by is not None else "",
            "withdrawn_by_ref": (by.ref or "") if by is not None else "",
        }
    if fields:
        type(entry).objects.filter(pk=entry.pk).update(**fields)


@transaction.atomic
def work_import(
    *, organisation: Organisation, record: wr.WorkRecord, leads: Iterable[Membership] = ()
) -> Work:
    """Save a parsed work record as a new piece of work, led by `leads`. Raise
    `WorkRecordInvalid` for a record WithPeople cannot store; nothing is saved then.

    Whoever imports it (the first lead) is recorded as having recorded its plan and evidence,
    now, and the history says each came from a work record."""
    leads = list(leads)
    importer = leads[0] if leads else None
    importer_user = importer.user if importer is not None else None
    imported = _("Imported from a work record")
    problems = record_problems(record)
    if problems:
        raise wr.WorkRecordInvalid(problems)
    with assessments_deferred():
        work = work_create(
            organisation=organisation,
            title=record.title,
            level=record.level,
            summary=record.summary,
            status=record.status,
            starts_on=record.starts_on,
            ends_on=record.ends_on,
            leads=leads,
            aspects=(),
            actor=importer_user,
        )
        for position, lead in enumerate(record.leads):
            record_lead = RecordLead(
                work=work, name=lead.name, ref=lead.ref or "", position=position
            )
            record_lead.full_clean()
            record_lead.save()
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
                recorded_by=importer,
            )
            _versioned(aspect, importer_user, imported)
            aspect.full_clean()
            aspect.save()
            aspects[plan.key] = aspect
        members = {
            person.ref: work_member_add(
                work=work,
                name=person.name or person.ref,
                perspective=person.perspective,
                role=person.role,
                ref=person.ref,
            )
            for person in record.people
        }
        for item in record.activities:
            activity = activity_save(
                work=work,
                aspect=aspects[item.aspect],
                date=item.date,
                kind=item.kind,
                title=item.title,
                notes=item.notes,
                participants=[members[ref] for ref in item.participants],
                date_confirmed=True,
                actor=importer_user,
                recorded_by=importer,
                change_reason=imported,
                **{part: getattr(item, part) for part in wr.PARTNER_PARTS},
            )
            _recording_keep(activity, item)
        for item in record.decisions:
            decision = decision_save(
                work=work,
                aspect=aspects[item.aspect],
                date=item.date,
                summary=item.summary,
                decided_by=item.decided_by,
                partner_input_changed_it=item.partner_input_changed_it,
                change=item.change,
                feedback_given_on=item.feedback_given_on,
                date_confirmed=True,
                actor=importer_user,
                recorded_by=importer,
                change_reason=imported,
            )
            _recording_keep(decision, item)
        if record.checkin_rounds:
            _checkin_rounds_import(work, record, aspects)
        elif record.checkins:
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
                for (aspect_key, perspective, rung), count in wr.checkin_counts(
                    record.checkins
                ).items()
            )
    return work


def _checkin_rounds_import(work: Work, record: wr.WorkRecord, aspects: dict[str, Aspect]) -> None:
    """The rounds of a ``/2`` record, with their names and times. The record's check-ins are
    the answers of its last closed round, which keeps them as counts with the perspective the
    file gave (as the "Imported" round of a ``/1`` record does). An open round opens again
    here, with no answers, and counts answers given here as any round does."""
    last_closed = max(
        (index for index, item in enumerate(record.checkin_rounds) if item.closed_at is not None),
        key=lambda index: record.checkin_rounds[index].closed_at,
        default=None,
    )
    for index, item in enumerate(record.checkin_rounds):
        checkin_round = CheckinRound(
            work=work,
            name=item.name,
            opened_at=item.opened_at,
            closed_at=item.closed_at,
            closes_on=item.closes_on,
            imported=index == last_closed,
        )
        checkin_round.full_clean()
        checkin_round.save()
        if item.closed_at is None:
            _checkin_tallies_create(checkin_round)
        elif index == last_closed:
            CheckinTally.objects.bulk_create(
                CheckinTally(
                    round=checkin_round,
                    aspect=aspects[aspect_key],
                    perspective=perspective,
                    rung=rung,
                    count=count,
                )
                for (aspect_key, perspective, rung), count in wr.checkin_counts(
                    record.checkins
                ).items()
            )


@transaction.atomic
def work_record_export(
    *, work: Work, actor: User | None, detail: str = "", format: str = wr.FORMAT_2
) -> dict:
    """The JSON of a piece of work to download, ``withpeople.work/2`` unless `format` says
    ``/1``; the download is audited."""
    data = work_record_json(work, format=format)
    audit_record(
        organisation=work.organisation,
        actor=actor,
        action=AuditEventKind.EXPORTED_WORK_RECORD,
        subject=work,
        detail=detail,
    )
    return data
