"""The kinds of notification: one enumeration, each with a plain-English label.

A person chooses, per kind, email now, a weekly summary or nothing, except for the kinds in
ALWAYS_SENT: messages about money, or that someone must act on, cannot be switched off.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    MEETING_INVITATION = "meeting_invitation", _("Invitations to meetings")
    MEETING_CHANGED = "meeting_changed", _("Changes to meetings you are invited to")
    MEETING_CANCELLED = "meeting_cancelled", _("Meetings cancelled")
    MEETING_REMINDER = "meeting_reminder", _("Reminders of meetings")
    ATTENDANCE_TIME_PROPOSED = "attendance_time_proposed", _("Time proposed for a meeting")
    CHECKIN_ROUND_OPENED = "checkin_round_opened", _("A check-in round opened")
    CHECKIN_ROUND_CLOSING = "checkin_round_closing", _("A check-in round closing soon")
    AGREEMENT_VERSION_WAITING = "agreement_version_waiting", _("Working agreement to agree")
    CLAIM_DECIDED = "claim_decided", _("Your claim approved or refused")
    PAYMENT_PAID = "payment_paid", _("Your payment paid")
    ACTION_GIVEN = "action_given", _("An action given to you")
    ACTION_OVERDUE = "action_overdue", _("An action of yours overdue")
    REVIEW_CYCLE_OPENED = "review_cycle_opened", _("A review cycle opened")
    REVIEW_CYCLE_CLOSING = "review_cycle_closing", _("A review cycle closing soon")
    DECISION_OUTCOME = "decision_outcome", _("The outcome of a decision you took part in")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Your second factor reset")


#: About money, or something the person must act on: always sent by email at once.
ALWAYS_SENT = frozenset(
    {
        NotificationKind.MEETING_INVITATION,
        NotificationKind.MEETING_CHANGED,
        NotificationKind.MEETING_CANCELLED,
        NotificationKind.ATTENDANCE_TIME_PROPOSED,
        NotificationKind.AGREEMENT_VERSION_WAITING,
        NotificationKind.CLAIM_DECIDED,
        NotificationKind.PAYMENT_PAID,
        NotificationKind.ACTION_GIVEN,
        NotificationKind.SECOND_FACTOR_RESET,
    }
)
