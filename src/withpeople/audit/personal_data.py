"""What the audit log holds about a person: what they did.

Registered with `withpeople.core.personal_data` in `AuditConfig.ready()`. After erasure their
entries stay, done by nobody ("a former member").
"""

from __future__ import annotations

from typing import Any

from withpeople.audit.models import AuditEvent
from withpeople.core import personal_data


def export_membership(membership, about_someone_else: bool) -> dict[str, Any]:
    return {
        "audit_events": [
            {
                "at": event.at.isoformat(),
                "action": event.action,
                "subject_type": event.subject_type,
                "subject_id": event.subject_id,
            }
            for event in AuditEvent.objects.for_organisation(membership.organisation).filter(
                actor=membership.user
            )
        ]
    }


def unlink_account(organisation, user) -> None:
    AuditEvent.objects.for_organisation(organisation).filter(actor=user).update(actor=None)


ENTRIES = [
    personal_data.PersonalData(
        name="audit",
        models=("audit.AuditEvent",),
        order=80,
        export_membership=export_membership,
        unlink_account=unlink_account,
    ),
]
