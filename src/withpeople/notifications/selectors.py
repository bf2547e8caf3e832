"""Reads of notifications that more than one place uses."""

from __future__ import annotations

from django.db.models import QuerySet

from withpeople.notifications.models import EmailStatus, Notification, OutgoingEmail


def unread_count(user) -> int:
    return Notification.objects.for_user(user).unread().count()


def failed_emails(organisation) -> QuerySet[OutgoingEmail]:
    """The organisation's emails that were not sent after every attempt, newest first."""
    return (
        OutgoingEmail.objects.filter(organisation=organisation, status=EmailStatus.FAILED)
        .only("pk", "to_email", "subject", "attempts", "last_error", "created_at")
        .order_by("-created_at", "-pk")
    )
