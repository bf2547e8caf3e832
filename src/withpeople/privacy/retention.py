"""Applying each organisation's retention periods: `withpeople retention apply`.

Run daily. Each organisation is done in its own transaction; running it twice on the same day
changes nothing the second time. Everything reported is a count, never a name.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent
from withpeople.audit.services import audit_record
from withpeople.core import personal_data
from withpeople.groups.selectors import is_anonymised
from withpeople.organisations.models import Organisation
from withpeople.privacy.models import RetentionSettings
from withpeople.privacy.services import retention_settings_for
from withpeople.recognition.services import recognition_apply_retention


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class OrganisationResult:
    slug: str
    counts: dict[str, int | None] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.counts.values())


def retention_apply(*, today: dt.date, dry_run: bool = False) -> list[OrganisationResult]:
    """Apply every organisation's periods as of `today`; with `dry_run`, only count."""
    results = []
    for organisation in Organisation.objects.order_by("slug"):
        with transaction.atomic():
            result = _apply_for_organisation(organisation, today=today, dry_run=dry_run)
            if result.changed and not dry_run:
                audit_record(
                    organisation=organisation,
                    actor=None,
                    action=AuditEventKind.APPLIED_RETENTION,
                    detail=", ".join(f"{k}: {v}" for k, v in result.counts.items() if v),
                )
        results.append(result)
    return results


def _apply_for_organisation(
    organisation: Organisation, *, today: dt.date, dry_run: bool
) -> OrganisationResult:
    from withpeople.groups.models import GroupMember

    settings = retention_settings_for(organisation)
    result = OrganisationResult(organisation.slug)

    left_before = months_before(today, settings.left_group_months)
    leavers = [
        gm
        for gm in GroupMember.objects.for_organisation(organisation).filter(left_on__lt=left_before)
        if not is_anonymised(gm)
    ]
    result.counts["people_who_left_anonymised"] = len(leavers)
    if not dry_run:
        for group_member in leavers:
            personal_data.erase_group_member(group_member)

    audit_before = _start_of(_years_before(today, settings.audit_years))
    old_events = AuditEvent.objects.for_organisation(organisation).filter(at__lt=audit_before)
    result.counts["audit_events_deleted"] = old_events.count()
    if not dry_run:
        old_events.delete()

    result.counts["expense_receipts_deleted"] = recognition_apply_retention(
        organisation=organisation,
        older_than=months_before(today, settings.receipt_months),
        dry_run=dry_run,
    )
    return result


def _years_before(day: dt.date, years: int) -> dt.date:
    return months_before(day, 12 * years)


def sign_in_records_apply(*, today: dt.date, dry_run: bool = False) -> int:
    """Delete sign-in records older than the shortest period any organisation has chosen.

    They belong to the whole site, not to one organisation, so the most protective setting wins.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    days = min(
        (retention_settings_for(o).failed_sign_in_days for o in Organisation.objects.all()),
        default=RetentionSettings.DEFAULT_FAILED_SIGN_IN_DAYS,
    )
    before = _start_of(today - dt.timedelta(days=days))
    total = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        old = model.objects.filter(attempt_time__lt=before)
        total += old.count()
        if not dry_run:
            old.delete()
    return total
