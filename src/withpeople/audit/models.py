"""The audit log: every view or export of personal, payment, needs or diversity data, and every
change or deletion of the evidence that places a piece of work on the ladder.

Entries are only ever added. Admins of the organisation can read them. An entry names what was
looked at by its kind and id, never by copying the personal data itself, so erasing a person
leaves no personal trace here beyond the record that something happened.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.audit.kinds import AuditEventKind
from withpeople.organisations.models import Organisation


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_organisation(self, organisation: Organisation) -> AuditEventQuerySet:
        return self.filter(organisation=organisation)


class AuditEvent(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(
        _("what happened"), max_length=60, choices=AuditEventKind.choices, db_index=True
    )
    subject_type = models.CharField(_("kind of record"), max_length=60, blank=True)
    subject_id = models.CharField(_("record id"), max_length=60, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            # The audit log page: one organisation's events, newest first.
            models.Index(fields=["organisation", "-at", "-id"], name="audit_org_newest_first"),
        ]

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"{when} {self.get_action_display()} {self.subject_type} {self.subject_id}"
