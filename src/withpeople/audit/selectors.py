"""Reads of the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent
from withpeople.organisations.models import Organisation


def audit_log_events(
    *, organisation: Organisation, kind: str | None = None
) -> QuerySet[AuditEvent]:
    """The organisation's events, newest first, only of `kind` if it is one (filtered in SQL)."""
    events = (
        AuditEvent.objects.for_organisation(organisation)
        .select_related("actor")
        .order_by("-at", "-id")
    )
    if kind in AuditEventKind.values:
        events = events.filter(action=kind)
    return events
