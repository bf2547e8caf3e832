"""Retention: settings page, and the daily command with frozen dates (today= passed in)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.utils import timezone

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent
from withpeople.audit.services import audit_record
from withpeople.diversity.tests.helpers import make_work
from withpeople.groups.models import GroupMember
from withpeople.privacy.models import RetentionSettings
from withpeople.privacy.retention import months_before, retention_apply, sign_in_records_apply

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def test_months_before_handles_short_months():
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


@pytest.fixture
def old_data(organisation, members):
    RetentionSettings.objects.create(
        organisation=organisation, left_group_months=12, audit_years=2, failed_sign_in_days=30
    )
    work = make_work(organisation)
    left_long_ago = GroupMember.objects.create(
        group=work.group,
        membership=members["partner"],
        name="Olwen Oldleaver",
        contact="olwen@example.org",
        perspective="carer",
        left_on=dt.date(2025, 5, 1),
    )
    left_recently = GroupMember.objects.create(
        group=work.group,
        name="Rhys Recent",
        contact="07700 900999",
        perspective="carer",
        left_on=dt.date(2025, 8, 1),
    )
    old_event = audit_record(
        organisation=organisation, actor=None, action=AuditEventKind.VIEWED_PERSONAL_DATA
    )
    AuditEvent.objects.filter(pk=old_event.pk).update(at=_at(dt.date(2024, 6, 1)))
    new_event = audit_record(
        organisation=organisation, actor=None, action=AuditEventKind.VIEWED_CONTACT_DETAILS
    )
    AuditEvent.objects.filter(pk=new_event.pk).update(at=_at(dt.date(2025, 6, 1)))
    for model, extra in ((AccessAttempt, {"failures_since_start": 1}), (AccessFailureLog, {})):
        old = model.objects.create(username="x@example.org", ip_address="127.0.0.1", **extra)
        model.objects.filter(pk=old.pk).update(attempt_time=_at(dt.date(2026, 5, 1)))
        recent = model.objects.create(username="y@example.org", ip_address="127.0.0.1", **extra)
        model.objects.filter(pk=recent.pk).update(attempt_time=_at(dt.date(2026, 6, 1)))
    return {"left_long_ago": left_long_ago, "left_recently": left_recently}


def test_dry_run_counts_and_changes_nothing(organisation, old_data):
    (result,) = [r for r in retention_apply(today=TODAY, dry_run=True) if r.slug == "example"]
    assert result.counts["people_who_left_anonymised"] == 1
    assert result.counts["audit_events_deleted"] == 1
    assert sign_in_records_apply(today=TODAY, dry_run=True) == 2
    assert GroupMember.objects.get(pk=old_data["left_long_ago"].pk).name == "Olwen Oldleaver"
    assert AuditEvent.objects.filter(action=AuditEventKind.VIEWED_PERSONAL_DATA).exists()
    assert AccessAttempt.objects.count() == 2


def test_apply_anonymises_deletes_and_is_idempotent(organisation, old_data):
    (result,) = [r for r in retention_apply(today=TODAY) if r.slug == "example"]
    assert result.counts["people_who_left_anonymised"] == 1
    member = GroupMember.objects.get(pk=old_data["left_long_ago"].pk)
    assert member.name == f"Former member {member.pk}"
    assert member.contact == "" and member.membership is None
    assert GroupMember.objects.get(pk=old_data["left_recently"].pk).name == "Rhys Recent"
    assert not AuditEvent.objects.filter(action=AuditEventKind.VIEWED_PERSONAL_DATA).exists()
    assert AuditEvent.objects.filter(action=AuditEventKind.VIEWED_CONTACT_DETAILS).exists()
    applied = AuditEvent.objects.get(action="applied_retention")
    assert "Olwen" not in applied.detail
    assert sign_in_records_apply(today=TODAY) == 2
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["y@example.org"]

    (again,) = [r for r in retention_apply(today=TODAY) if r.slug == "example"]
    assert not again.changed
    assert sign_in_records_apply(today=TODAY) == 0
    assert AuditEvent.objects.filter(action="applied_retention").count() == 1


def test_command_prints_counts_only(organisation, old_data):
    out = StringIO()
    call_command("retention", "apply", "--dry-run", "--today", TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert "example: people who left a group anonymised: 1; audit events deleted: 1" in text
    assert "sign-in records deleted: 2" in text
    assert "Olwen" not in text and "(dry run)" in text
    assert GroupMember.objects.get(pk=old_data["left_long_ago"].pk).name == "Olwen Oldleaver"
    out = StringIO()
    call_command("retention", "apply", "--today", TODAY.isoformat(), stdout=out)
    assert "Done." in out.getvalue()
    out = StringIO()
    call_command("retention", "apply", "--today", TODAY.isoformat(), stdout=out)
    assert "people who left a group anonymised: 0; audit events deleted: 0" in out.getvalue()


def test_shortest_sign_in_period_wins(organisation, outsider, old_data):
    RetentionSettings.objects.create(organisation=outsider.organisation, failed_sign_in_days=10)
    # Records from 14 days before TODAY are older than 10 days: now both go.
    assert sign_in_records_apply(today=TODAY, dry_run=True) == 4


def test_settings_page_validates_and_saves(django_app, members, organisation):
    page = django_app.get("/o/example/retention/", user=members["admin"].user)
    form = next(f for f in page.forms.values() if "audit_years" in f.fields)
    form["audit_years"] = "0"
    form["left_group_months"] = "many"
    page = form.submit()
    assert "There is a problem" in page
    assert "Enter the years as a whole number from 1 to 50" in page
    assert "Enter the months as a whole number from 1 to 240" in page
    assert not RetentionSettings.objects.filter(organisation=organisation).exists()
    form = next(f for f in page.forms.values() if "audit_years" in f.fields)
    form["audit_years"] = "7"
    form["left_group_months"] = "36"
    form.submit().follow()
    settings = RetentionSettings.objects.get(organisation=organisation)
    assert (settings.audit_years, settings.left_group_months) == (7, 36)
