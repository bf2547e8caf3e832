from __future__ import annotations

from django.db import models

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent


def audit_record(
    *,
    organisation,
    actor,
    action: AuditEventKind,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str | int = "",
    detail: str = "",
) -> AuditEvent:
    """Write one audit entry, from inside the service that does the thing, in its transaction.

    ``action`` is an `AuditEventKind`; anything else fails ``full_clean``.
    """
    if subject is not None:
        subject_type = subject_type or subject._meta.label_lower
        subject_id = subject_id or subject.pk
    event = AuditEvent(
        organisation=organisation,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        detail=detail[:300],
    )
    event.full_clean()
    event.save()
    return event
