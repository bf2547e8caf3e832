"""Writes to meetings: plan, change, cancel, reply, remind, record attendance, reset a feed.

Each is one transaction and tells the people it concerns through `notify`, which sends once the
transaction commits and tells nobody twice for the same key. Every message carries the meeting
as an iCalendar event (`withpeople.meetings.ical`). Recording attendance makes the activity of
the piece of work through `works.services.activity_save`, so the history, the audit log and
the stored assessment follow, and proposes each attending partner's time for them to confirm.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.domain.ladder import is_partner
from withpeople.domain.money import MAX_MINUTES
from withpeople.groups.models import AccessNeeds, Group, GroupMember
from withpeople.meetings import ical, links
from withpeople.meetings.models import (
    DEFAULT_REMINDER_MINUTES,
    CalendarFeed,
    Invitation,
    Meeting,
    MeetingSettings,
    ReminderSent,
    Reply,
    new_feed_token,
)
from withpeople.meetings.when import when_in_words
from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.services import Attachment, Recipient, notify
from withpeople.organisations.models import Membership
from withpeople.recognition.models import Preference, RecognitionPreference, TimeStatus
from withpeople.recognition.services import time_record_create
from withpeople.works.models import ActivityKind, Aspect
from withpeople.works.services import activity_save

if TYPE_CHECKING:
    from withpeople.accounts.models import User

#: The fields of a meeting that planning and changing set.
MEETING_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "getting_there",
    "step_free",
    "hearing_loop",
    "british_sign_language",
    "easy_read_papers",
    "breaks",
    "access_notes",
    "agenda",
    "papers",
)


# --- Who to tell, and how ------------------------------------------------------------------


def _email_of(member: GroupMember) -> str:
    """Where to write to someone: their account's address, or an email address as contact."""
    if member.membership_id is not None:
        return member.membership.user.email
    contact = member.contact.strip()
    try:
        validate_email(contact)
    except ValidationError:
        return ""
    return contact


def wants_easy_read(member: GroupMember) -> bool:
    """Whether the person's communication needs ask for easy read (groups.AccessNeeds)."""
    needs = AccessNeeds.objects.filter(group_member=member) | AccessNeeds.objects.filter(
        membership_id=member.membership_id or -1
    )
    return needs.filter(easy_read=True).exists()


def _recipient(invitation: Invitation) -> Recipient | None:
    member = invitation.member
    email = _email_of(member)
    if not email:
        return None  # the organisers pass the reply link on: the meeting page shows it
    return Recipient(
        email=email,
        name=member.name,
        user=member.membership.user if member.membership_id else None,
        easy_read=wants_easy_read(member),
        extra={"reply_url": links.reply_url(invitation), "has_account": bool(member.membership_id)},
    )


def _context(meeting: Meeting, **more: Any) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "when": when_in_words(meeting.starts_at, meeting.ends_at),
        "arrangements": meeting.arrangements(),
        "organisation": meeting.organisation,
        **more,
    }


def _calendar_attachment(meeting: Meeting, method: str):
    content = ical.meeting_calendar(meeting, method=method)
    attachment = Attachment(
        filename="invite.ics" if method == ical.REQUEST else "cancelled.ics",
        content=content,
        # Django adds the charset itself (utf-8) to a text attachment.
        mimetype=f"text/calendar; method={method}",
    )
    return lambda recipient: [attachment]


def _tell(
    meeting: Meeting,
    invitations: Iterable[Invitation],
    *,
    kind: NotificationKind,
    template: str,
    key: str,
    method: str | None = ical.REQUEST,
    **context: Any,
) -> int:
    recipients = [r for r in (_recipient(invitation) for invitation in invitations) if r]
    if not recipients:
        return 0
    return notify(
        kind=kind,
        organisation=meeting.organisation,
        recipients=recipients,
        template=f"meetings/notifications/{template}",
        context=_context(meeting, **context),
        url=ical.meeting_url(meeting),
        key=key,
        attachments=_calendar_attachment(meeting, method) if method else None,
    )


def _version_key(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}-seq-{meeting.sequence}"


# --- Planning, changing and cancelling -----------------------------------------------------


#: Meetings are planned at most this far ahead.
FURTHEST_AHEAD = dt.timedelta(days=5 * 366)


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime) -> None:
    if starts_at is not None and starts_at <= now:
        raise ValidationError(
            {"date": _("The meeting must be in the future. Enter a date from today onwards.")}
        )
    if ends_at is not None and ends_at > now + FURTHEST_AHEAD:
        raise ValidationError(
            {"date": _("The meeting must be within the next five years. Check the date.")}
        )


def _check_aspects(group: Group, aspects: Iterable[Aspect]) -> list[Aspect]:
    aspects = list(aspects)
    work = getattr(group, "work", None)
    if any(work is None or aspect.work_id != work.pk for aspect in aspects):
        raise ValidationError({"aspects": _("Choose aspects of this piece of work.")})
    return aspects


def _check_invitees(group: Group, invitees: Iterable[GroupMember]) -> list[GroupMember]:
    invitees = list(invitees)
    if any(member.group_id != group.pk or member.left_on for member in invitees):
        raise ValidationError({"invitees": _("Choose people who are in this group now.")})
    return invitees


def _invite(meeting: Meeting, members: Iterable[GroupMember]) -> list[Invitation]:
    already = set(meeting.invitations.values_list("member_id", flat=True))
    new = [Invitation(meeting=meeting, member=m) for m in members if m.pk not in already]
    Invitation.objects.bulk_create(new)
    return list(
        meeting.invitations.filter(member__in=[i.member for i in new]).select_related(
            "member__membership__user"
        )
    )


@transaction.atomic
def meeting_plan(
    *,
    group: Group,
    invitees: Iterable[GroupMember],
    aspects: Iterable[Aspect] = (),
    planned_by: Membership | None = None,
    actor: User | None = None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Meeting:
    """Plan a meeting of a group, invite people and tell each of them, with the event."""
    now = now or timezone.now()
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    meeting = Meeting(
        organisation=group.organisation,
        group=group,
        work=getattr(group, "work", None),
        planned_by=planned_by,
        **fields,
    )
    meeting.full_clean()
    _check_times(meeting.starts_at, meeting.ends_at, now)
    aspects = _check_aspects(group, aspects)
    invitees = _check_invitees(group, invitees)
    if not invitees:
        raise ValidationError({"invitees": _("Choose at least one person to invite.")})
    meeting.save()
    meeting.aspects.set(aspects)
    invitations = _invite(meeting, invitees)
    audit_record(
        organisation=meeting.organisation,
        actor=actor,
        action=AuditEventKind.PLANNED_MEETING,
        subject=meeting,
        detail=_("%(count)s invited") % {"count": len(invitations)},
    )
    _tell(
        meeting,
        invitations,
        kind=NotificationKind.MEETING_INVITATION,
        template="invitation",
        key=_version_key(meeting),
    )
    return meeting


def _refuse_closed(meeting: Meeting, now: dt.datetime) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting has been cancelled, so it cannot be changed."))
    if meeting.has_ended(now):
        raise ValidationError(_("This meeting has happened, so it cannot be changed."))


@transaction.atomic
def meeting_change(
    *,
    meeting: Meeting,
    invitees: Iterable[GroupMember] = (),
    aspects: Iterable[Aspect] | None = None,
    actor: User | None = None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Meeting:
    """Change a meeting: everyone invited is told, and anyone newly chosen is invited.

    The SEQUENCE goes up by one, so calendars replace the event they have, and earlier reply
    links stop working (each message carries a new one).
    """
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_closed(meeting, now)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    _check_times(meeting.starts_at, meeting.ends_at, now)
    if aspects is not None:
        meeting.aspects.set(_check_aspects(meeting.group, aspects))
    new_members = _check_invitees(meeting.group, invitees)
    meeting.sequence += 1
    meeting.save()
    told_before = list(meeting.invitations.select_related("member__membership__user"))
    invited_now = _invite(meeting, new_members)
    audit_record(
        organisation=meeting.organisation,
        actor=actor,
        action=AuditEventKind.CHANGED_MEETING,
        subject=meeting,
        detail=_("Version %(sequence)s") % {"sequence": meeting.sequence},
    )
    _tell(
        meeting,
        told_before,
        kind=NotificationKind.MEETING_CHANGED,
        template="changed",
        key=_version_key(meeting),
    )
    _tell(
        meeting,
        invited_now,
        kind=NotificationKind.MEETING_INVITATION,
        template="invitation",
        key=_version_key(meeting),
    )
    return meeting


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, reason: str, actor: User | None = None, now: dt.datetime | None = None
) -> Meeting:
    """Cancel a meeting: everyone invited is told, with the event cancelled (METHOD:CANCEL)."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_closed(meeting, now)
    if not reason.strip():
        raise ValidationError({"reason": _("Enter why the meeting is cancelled.")})
    meeting.cancelled_at = now
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    audit_record(
        organisation=meeting.organisation,
        actor=actor,
        action=AuditEventKind.CANCELLED_MEETING,
        subject=meeting,
    )
    _tell(
        meeting,
        meeting.invitations.select_related("member__membership__user"),
        kind=NotificationKind.MEETING_CANCELLED,
        template="cancelled",
        key=f"meeting-{meeting.pk}-cancelled",
        method=ical.CANCEL,
    )
    return meeting


# --- Replies -------------------------------------------------------------------------------


@transaction.atomic
def invitation_reply(
    *,
    invitation: Invitation,
    reply: str,
    access_needs: str = "",
    recognition: str = "",
    now: dt.datetime | None = None,
) -> Invitation:
    """Someone's answer: yes, no or maybe, what they need for this meeting, and how they want
    to be recognised. They can change it until the meeting ends."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=invitation.pk)
    )
    meeting = invitation.meeting
    if meeting.is_cancelled:
        raise ValidationError(
            _("This meeting has been cancelled, so there is nothing to reply to.")
        )
    if meeting.has_ended(now):
        raise ValidationError(_("This meeting has happened, so replies are closed."))
    if reply not in Reply.values:
        raise ValidationError({"reply": _("Select whether you can come.")})
    if recognition and recognition not in Preference.values:
        raise ValidationError({"recognition": _("Select how you want to be recognised.")})
    invitation.reply = reply
    invitation.access_needs = access_needs.strip()
    invitation.recognition = recognition
    invitation.replied_at = now
    invitation.full_clean()
    invitation.save()
    return invitation


def recognition_wish_for(member: GroupMember) -> str:
    """What their recognition preference says, to start their reply from."""
    preference = RecognitionPreference.objects.filter(member=member).first()
    return preference.choice if preference else ""


# --- Reminders -----------------------------------------------------------------------------


def reminder_offsets(organisation) -> list[int]:
    setting = MeetingSettings.objects.filter(organisation=organisation).first()
    return setting.offsets() if setting else sorted(DEFAULT_REMINDER_MINUTES, reverse=True)


@transaction.atomic
def reminder_settings_update(*, organisation, minutes: Iterable[int]) -> MeetingSettings:
    """When the organisation's meetings send reminders, in minutes before (none for none)."""
    setting, _created = MeetingSettings.objects.get_or_create(organisation=organisation)
    setting.reminder_minutes = ",".join(str(m) for m in sorted(set(minutes), reverse=True))
    setting.full_clean()
    setting.save()
    return setting


def reminders_send_due(now: dt.datetime | None = None) -> int:
    """Send each reminder that has fallen due, once; return how many people were reminded.

    A reminder is due `offset` minutes before a meeting that is planned and has not started.
    Someone who said no is never reminded; nobody is reminded twice for one offset (the
    ReminderSent row, and the key given to `notify`). Only the latest offset that has passed
    is sent: a meeting planned an hour ahead gets no two-day reminder.
    """
    now = now or timezone.now()
    longest = dt.timedelta(minutes=max(max(DEFAULT_REMINDER_MINUTES), _longest_setting()))
    meetings = (
        Meeting.objects.planned()
        .filter(starts_at__gt=now, starts_at__lte=now + longest)
        .select_related("organisation", "group")
    )
    sent = 0
    for meeting in meetings:
        due = [
            m
            for m in reminder_offsets(meeting.organisation)
            if meeting.starts_at - dt.timedelta(minutes=m) <= now
        ]
        if not due:
            continue
        offset = min(due)
        sent += _remind(meeting, offset, now)
    return sent


def _longest_setting() -> int:
    longest = 0
    for setting in MeetingSettings.objects.all():
        longest = max([longest, *setting.offsets()])
    return longest


@transaction.atomic
def _remind(meeting: Meeting, offset: int, now: dt.datetime) -> int:
    invitations = list(
        meeting.invitations.exclude(reply=Reply.NO)
        .exclude(pk__in=ReminderSent.objects.filter(minutes_before=offset).values("invitation"))
        .select_related("member__membership__user")
    )
    if not invitations:
        return 0
    ReminderSent.objects.bulk_create(
        [ReminderSent(invitation=i, minutes_before=offset, sent_at=now) for i in invitations],
        ignore_conflicts=True,
    )
    return _tell(
        meeting,
        invitations,
        kind=NotificationKind.MEETING_REMINDER,
        template="reminder",
        key=f"meeting-{meeting.pk}-reminder-{offset}",
    )


# --- After the meeting ---------------------------------------------------------------------


def _minutes(meeting: Meeting) -> int:
    """The meeting's length, as the time to propose: no more than a day, as any time record."""
    length = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    return min(max(1, length), MAX_MINUTES)


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    attended: Iterable[GroupMember],
    parts: Sequence[str] = (),
    actor: User | None = None,
    recorded_by: Membership | None = None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Who came, in one step: an activity of the piece of work, and proposed time.

    For a meeting of a piece of work's group this records (or, the second time, corrects) one
    activity on the first aspect the meeting is about, with who took part and the parts
    partners had. Each attending partner gets their time proposed under the organisation's
    recognition policy, to confirm or change, and is told. Recording it again changes the
    same activity and proposes time only for people not proposed it before.
    """
    now = now or timezone.now()
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("work", "group")
        .get(pk=meeting.pk)
    )
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled, so nobody attended it."))
    if not meeting.has_ended(now):
        raise ValidationError(_("Record who attended once the meeting has happened."))
    invitations = {i.member_id: i for i in meeting.invitations.select_related("member")}
    attended = list(attended)
    if any(member.pk not in invitations for member in attended):
        raise ValidationError({"attended": _("Choose people who were invited.")})
    attended_ids = {member.pk for member in attended}
    date = timezone.localdate(meeting.starts_at)
    if meeting.work is not None:
        aspect = meeting.aspects.order_by("position", "pk").first() or meeting.work.aspects.first()
        if aspect is None:
            raise ValidationError(_("Add an aspect to the piece of work first."))
        meeting.activity = activity_save(
            work=meeting.work,
            aspect=aspect,
            date=date,
            kind=ActivityKind.MEETING,
            title=meeting.title,
            participants=attended,
            activity=meeting.activity,
            actor=actor,
            recorded_by=recorded_by,
            organiser=recorded_by,
            change_reason=_("Attendance corrected") if meeting.activity_id else "",
            date_confirmed=True,
            **dict.fromkeys(parts, True),
        )
    for member_id, invitation in invitations.items():
        invitation.attended = member_id in attended_ids
        if not invitation.attended and invitation.time_record_id:
            record = invitation.time_record
            if record.status == TimeStatus.PROPOSED:
                invitation.time_record = None
                record.delete()
        invitation.save(update_fields=["attended", "time_record"])
    meeting.attendance_recorded_at = now
    meeting.save(update_fields=["activity", "attendance_recorded_at"])
    for member_id in attended_ids:
        invitation = invitations[member_id]
        if invitation.time_record_id or not is_partner(invitation.member.perspective):
            continue
        _propose_time(meeting, invitation, recorded_by=actor)
    audit_record(
        organisation=meeting.organisation,
        actor=actor,
        action=AuditEventKind.RECORDED_ATTENDANCE,
        subject=meeting,
        detail=_("%(count)s attended") % {"count": len(attended_ids)},
    )
    return meeting


def _propose_time(meeting: Meeting, invitation: Invitation, *, recorded_by) -> None:
    invitation.time_record = time_record_create(
        organisation=meeting.organisation,
        member=invitation.member,
        date=timezone.localdate(meeting.starts_at),
        minutes=_minutes(meeting),
        description=meeting.title[:300],
        activity=meeting.activity,
        recorded_by=recorded_by,
        status=TimeStatus.PROPOSED,
    )
    invitation.save(update_fields=["time_record"])
    recipient = _recipient(invitation)
    if recipient is None or not invitation.member.membership_id:
        return  # staff confirm it with them: the confirming page needs an account
    confirm = settings.SITE_URL.rstrip("/") + reverse(
        "recognition:time-confirm",
        kwargs={"org_slug": meeting.organisation.slug, "pk": invitation.time_record.pk},
    )
    notify(
        kind=NotificationKind.ATTENDANCE_TIME_PROPOSED,
        organisation=meeting.organisation,
        recipients=[recipient],
        template="meetings/notifications/time_proposed",
        context=_context(
            meeting,
            minutes=invitation.time_record.minutes,
            hours=f"{invitation.time_record.minutes / 60:g}",
            wish=invitation.get_recognition_display() if invitation.recognition else "",
        ),
        url=confirm,
        key=f"meeting-{meeting.pk}-time-{invitation.member_id}",
    )


# --- Calendar feeds ------------------------------------------------------------------------


def calendar_feed_for(membership: Membership) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(membership=membership)
    return feed


@transaction.atomic
def calendar_feed_reset(*, membership: Membership, actor: User | None = None) -> CalendarFeed:
    """A new secret address: the old one stops working at once."""
    feed = calendar_feed_for(membership)
    feed.token = new_feed_token()
    feed.created_at = timezone.now()
    feed.save()
    audit_record(
        organisation=membership.organisation,
        actor=actor,
        action=AuditEventKind.RESET_CALENDAR_FEED,
        subject=feed,
    )
    return feed


def reply_needs_viewed(*, meeting: Meeting, actor) -> None:
    """An organiser was shown the access needs in the replies to a meeting."""
    audit_record(
        organisation=meeting.organisation,
        actor=actor,
        action=AuditEventKind.VIEWED_ACCESS_NEEDS,
        subject=meeting,
        detail=_("Access needs in replies to a meeting"),
    )
