"""What we told whom, what is still to be sent, and what each person chose to be told.

- `Notification`: one thing told to one person, rendered when it happened; the in-app list.
- `OutgoingEmail`: the outbox. A row is written in the same transaction as the change it is
  about, and a task sends it after the commit. It keeps its Message-ID, so a message sent again
  after a crash is recognisably the same message (docs/decisions/0020-notifications-outbox.md).
- `NotificationPreference`: per person and kind, email now, a weekly summary, or nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.notifications.kinds import NotificationKind
from withpeople.organisations.models import Organisation


class Delivery(models.TextChoices):
    NOW = "now", _("Email me straight away")
    WEEKLY = "weekly", _("Email me a summary once a week")
    NONE = "none", _("Do not email me")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user) -> NotificationQuerySet:
        """A person's own notifications: nobody else's, whichever organisation."""
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One thing told to one person (with an account, or by email address alone)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(_("email address"), max_length=254)
    name = models.CharField(_("name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    key = models.CharField(
        _("what it is about"),
        max_length=200,
        help_text=_("With the kind and the person, makes a notification unique."),
    )
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("plain text"))
    html = models.TextField(_("HTML"), blank=True)
    easy_read = models.BooleanField(_("easy read"), default=False)
    url = models.CharField(_("address of the page"), max_length=500)
    delivery = models.CharField(
        _("how it is sent"), max_length=10, choices=Delivery.choices, default=Delivery.NOW
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    summarised_at = models.DateTimeField(
        _("sent in a weekly summary at"), null=True, blank=True, db_index=True
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "email"], name="notification_once_per_person"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent")


class OutgoingEmail(models.Model):
    """One email in the outbox, with everything needed to send it again."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    notification = models.OneToOneField(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="email_message",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    #: Unique: the same email is never put in the outbox twice (a weekly summary is keyed by
    #: person, organisation and week).
    dedupe_key = models.CharField(_("what it is"), max_length=300, unique=True)
    to_email = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("plain text"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    #: [{"filename", "mimetype", "content" (base64)}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=300, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("task enqueued at"), default=timezone.now)
    lease_until = models.DateTimeField(
        _("being sent until"),
        null=True,
        blank=True,
        help_text=_("A worker sending it holds it until then; after that it is sent again."),
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outgoing_email_due"),
        ]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject} ({self.status})"


class NotificationPreference(models.Model):
    """How one person wants to hear about one kind of notification.

    Kept against the account, or, for someone without one (who turned a kind off through the
    link in an email), against their email address.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_preferences",
    )
    email = models.EmailField(_("email address"), max_length=254, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    delivery = models.CharField(_("how"), max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(user__isnull=False),
                name="notification_preference_per_user",
            ),
            models.UniqueConstraint(
                fields=["email", "kind"],
                condition=Q(user__isnull=True),
                name="notification_preference_per_email",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""),
                name="notification_preference_has_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.email}: {self.kind} {self.delivery}"
