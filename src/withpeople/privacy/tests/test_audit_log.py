"""The audit log page: admins only, newest first, filterable, paginated, no personal content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.html import escape

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent
from withpeople.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_newest_first_filtered_and_paginated(client_for, members, organisation, outsider):
    admin = members["admin"]
    for i in range(30):
        event = audit_record(
            organisation=organisation,
            actor=members["staff"].user,
            action=(
                AuditEventKind.VIEWED_ACCESS_NEEDS if i % 2 else AuditEventKind.EXPORTED_FINANCE
            ),
            subject=members["partner"],
        )
        AuditEvent.objects.filter(pk=event.pk).update(
            at=timezone.now() - dt.timedelta(hours=30 - i)
        )
    audit_record(
        organisation=outsider.organisation,
        actor=outsider.user,
        action=AuditEventKind.ERASED_PERSON,
        detail="secret_other",
    )
    client = client_for(admin)
    body = client.get("/o/example/audit/").content.decode()
    assert "30 entries" in body
    assert "secret_other" not in body and outsider.user.name not in body
    assert 'class="govuk-pagination"' in body
    assert members["staff"].user.name in body
    # Newest first: the last one recorded (i = 29, odd) is at the top, by its plain label.
    first_row = body.split('<tbody class="govuk-table__body">')[1].split("</tr>")[0]
    assert "Access needs viewed" in first_row

    body = client.get("/o/example/audit/?action=exported_finance").content.decode()
    assert "15 entries" in body and "Access needs viewed</td>" not in body
    assert '<option value="exported_finance" selected>Finance export downloaded</option>' in body
    body = client.get("/o/example/audit/?page=2").content.decode()
    assert 'aria-current="page">2<' in body
    # Page links keep the filter.
    body = client.get("/o/example/audit/?action=exported_finance&page=1").content.decode()
    assert "15 entries" in body


def test_only_admins(client_for, members):
    for role in ("partner", "staff"):
        assert client_for(members[role]).get("/o/example/audit/").status_code == 403


def test_viewing_the_log_shows_no_personal_email(client_for, members, organisation):
    audit_record(
        organisation=organisation,
        actor=members["staff"].user,
        action=AuditEventKind.VIEWED_CONTACT_DETAILS,
    )
    body = client_for(members["admin"]).get("/o/example/audit/").content.decode()
    assert members["staff"].user.email not in body


def test_the_filter_lists_every_kind_by_its_label_even_with_no_events(client_for, members):
    body = client_for(members["admin"]).get("/o/example/audit/").content.decode()
    assert "0 entries" in body
    for kind in AuditEventKind:
        assert f'<option value="{kind.value}">{escape(kind.label)}</option>' in body


def test_an_unknown_filter_shows_everything(client_for, members, organisation):
    audit_record(organisation=organisation, actor=None, action=AuditEventKind.APPLIED_RETENTION)
    body = client_for(members["admin"]).get("/o/example/audit/?action=nonsense").content.decode()
    assert "1 entry" in body and "Retention periods applied</td>" in body


def test_page_links_keep_the_filter(client_for, members, organisation):
    for _ in range(30):
        audit_record(organisation=organisation, actor=None, action=AuditEventKind.ERASED_PERSON)
    body = client_for(members["admin"]).get("/o/example/audit/?action=erased_person").content
    assert b'href="?action=erased_person&amp;page=2"' in body
