"""Meetings a group plans ahead, who is invited, their replies, and calendar feeds.

A meeting belongs to one group: a piece of work's group, or a standing group. Everything here
is private to its organisation; a reply's access needs are seen only by the meeting's
organisers and the person themselves, as the group's access needs are.
"""

from __future__ import annotations

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.groups.models import Group, GroupMember
from withpeople.organisations.models import Membership, Organisation
from withpeople.recognition.models import Preference
from withpeople.works.models import Activity, Aspect, Work

#: Reminders go this many minutes before a meeting unless the organisation says otherwise:
#: two days, and two hours.
DEFAULT_REMINDER_MINUTES = (2 * 24 * 60, 2 * 60)


def new_uid() -> str:
    return f"{uuid.uuid4().hex}@withpeople"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def for_organisation(self, organisation: Organisation) -> MeetingQuerySet:
        """Meetings are private to their organisation: always start here."""
        return self.filter(organisation=organisation)

    def planned(self) -> MeetingQuerySet:
        return self.filter(cancelled_at__isnull=True)


#: The access arrangements a meeting can offer, as (field, label).
ARRANGEMENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("step_free", _("Step-free access")),
    ("hearing_loop", _("A hearing loop")),
    ("british_sign_language", _("British Sign Language interpreter")),
    ("easy_read_papers", _("Easy read papers")),
    ("breaks", _("Regular breaks")),
)


class Meeting(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="meetings"
    )
    work = models.ForeignKey(
        Work,
        verbose_name=_("piece of work"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("Empty for a meeting of a standing group."),
    )
    aspects = models.ManyToManyField(
        Aspect, verbose_name=_("aspects it is about"), blank=True, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.TextField(_("place"), blank=True)
    online_link = models.URLField(_("link to join online"), max_length=500, blank=True)
    getting_there = models.TextField(_("how to get there"), blank=True)
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    british_sign_language = models.BooleanField(_("British Sign Language"), default=False)
    easy_read_papers = models.BooleanField(_("easy read papers"), default=False)
    breaks = models.BooleanField(_("regular breaks"), default=False)
    access_notes = models.TextField(_("more about access"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    papers = models.TextField(_("papers"), blank=True)
    uid = models.CharField(_("calendar identifier"), max_length=100, unique=True, default=new_uid)
    sequence = models.PositiveIntegerField(
        _("version"), default=0, help_text=_("Goes up by one with every change, for calendars.")
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    planned_by = models.ForeignKey(
        Membership,
        verbose_name=_("planned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attendance_recorded_at = models.DateTimeField(
        _("attendance recorded at"), null=True, blank=True
    )
    activity = models.OneToOneField(
        Activity,
        verbose_name=_("activity recorded from it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting",
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["organisation", "starts_at"], name="meeting_org_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def has_ended(self, now=None) -> bool:
        return self.ends_at <= (now or timezone.now())

    def arrangements(self) -> list[str]:
        return [str(label) for field, label in ARRANGEMENT_FIELDS if getattr(self, field)]

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts. Change the end time.")
        if not self.place.strip() and not self.online_link.strip():
            errors["place"] = _("Enter a place, a link to join online, or both.")
        if errors:
            raise ValidationError(errors)


class Reply(models.TextChoices):
    YES = "yes", _("Yes, I will come")
    NO = "no", _("No, I cannot come")
    MAYBE = "maybe", _("Maybe")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def for_organisation(self, organisation: Organisation) -> InvitationQuerySet:
        return self.filter(meeting__organisation=organisation)


class Invitation(models.Model):
    """One person invited to one meeting, and their reply."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    member = models.ForeignKey(
        GroupMember,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    reply = models.CharField(_("reply"), max_length=10, choices=Reply.choices, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    access_needs = models.TextField(
        _("access needs for this meeting"),
        blank=True,
        help_text=_("Only the organisers of the meeting see this."),
    )
    recognition = models.CharField(
        _("how they want to be recognised"), max_length=20, choices=Preference.choices, blank=True
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    time_record = models.OneToOneField(
        "recognition.TimeRecord",
        verbose_name=_("time proposed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_invitation",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation to a meeting")
        verbose_name_plural = _("invitations to meetings")
        ordering = ["meeting", "member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_invitation_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.member} to {self.meeting}"


class ReminderSent(models.Model):
    """A reminder that went: kept so that nobody is reminded twice of one meeting."""

    invitation = models.ForeignKey(
        Invitation, verbose_name=_("invitation"), on_delete=models.CASCADE, related_name="+"
    )
    minutes_before = models.PositiveIntegerField(_("minutes before the meeting"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "minutes_before"], name="one_reminder_per_offset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invitation} -{self.minutes_before}min"


class MeetingSettings(models.Model):
    """An organisation's own settings for meetings: when reminders go."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="meeting_settings",
    )
    reminder_minutes = models.CharField(
        _("reminders, in minutes before the meeting"),
        max_length=100,
        default=",".join(str(m) for m in DEFAULT_REMINDER_MINUTES),
        help_text=_("Separated by commas, for example 2880,120 for two days and two hours."),
    )

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")

    def __str__(self) -> str:
        return str(self.organisation)

    def offsets(self) -> list[int]:
        values = []
        for part in self.reminder_minutes.split(","):
            part = part.strip()
            if part.isdigit() and int(part) > 0:
                values.append(int(part))
        return sorted(set(values), reverse=True)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address: whoever has the token can read their meetings."""

    membership = models.OneToOneField(
        Membership,
        verbose_name=_("account in the organisation"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("secret token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"Calendar feed {self.pk}"
