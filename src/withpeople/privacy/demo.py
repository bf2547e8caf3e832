"""Demo data for privacy: an audit trail and retention settings."""

from __future__ import annotations

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent
from withpeople.audit.services import audit_record
from withpeople.core.demo import register_demo_step
from withpeople.organisations.models import Membership, Organisation
from withpeople.privacy.models import RetentionSettings

DEMO_AUDIT_DETAIL = "Example entry made by the demo."


@register_demo_step("privacy", order=46)
def privacy_demo(organisation: Organisation, people: dict) -> None:
    RetentionSettings.objects.update_or_create(
        organisation=organisation,
        defaults={
            "left_group_months": 24,
            "failed_sign_in_days": 90,
            "audit_years": 6,
            "receipt_months": 72,
        },
    )

    AuditEvent.objects.for_organisation(organisation).filter(detail=DEMO_AUDIT_DETAIL).delete()
    admin = Membership.objects.get(organisation=organisation, user=people["admin"])
    partner = Membership.objects.get(organisation=organisation, user=people["partner"])
    for actor, action, subject in [
        (people["admin"], AuditEventKind.VIEWED_PERSONAL_DATA, partner),
        (people["admin"], AuditEventKind.EXPORTED_PERSONAL_DATA, partner),
        (people["partner"], AuditEventKind.VIEWED_PERSONAL_DATA, partner),
        (people["staff"], AuditEventKind.VIEWED_ACCESS_NEEDS, admin),
    ]:
        audit_record(
            organisation=organisation,
            actor=actor,
            action=action,
            subject=subject,
            detail=DEMO_AUDIT_DETAIL,
        )
