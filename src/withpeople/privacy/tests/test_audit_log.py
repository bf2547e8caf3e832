"""The audit log page: admins only, newest first, filterable, paginated, no personal content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from withpeople.audit.models import AuditEvent
from withpeople.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_newest_first_filtered_and_paginated(client_for, members, organisation, outsider):
    admin = members["admin"]
    for i in range(30):
        event = audit_record(
            organisation=organisation,
            actor=members["staff"].user,
            action="viewed_access_needs" if i % 2 else "exported_finance",
            subject=members["partner"],
        )
        AuditEvent.objects.filter(pk=event.pk).update(
            at=timezone.now() - dt.timedelta(hours=30 - i)
        )
    audit_record(organisation=outsider.organisation, actor=outsider.user, action="secret_other")
    client = client_for(admin)
    body = client.get("/o/example/audit/").content.decode()
    assert "30 entries" in body
    assert "secret_other" not in body
    assert 'class="govuk-pagination"' in body
    assert members["staff"].user.name in body
    # Newest first: the last one recorded (i = 29, odd) is at the top.
    first_row = body.split('<tbody class="govuk-table__body">')[1].split("</tr>")[0]
    assert "Viewed access needs" in first_row

    body = client.get("/o/example/audit/?action=exported_finance").content.decode()
    assert "15 entries" in body and "Viewed access needs</td>" not in body
    body = client.get("/o/example/audit/?page=2").content.decode()
    assert 'aria-current="page">2<' in body


def test_only_admins(client_for, members):
    for role in ("partner", "staff"):
        assert client_for(members[role]).get("/o/example/audit/").status_code == 403


def test_viewing_the_log_shows_no_personal_email(client_for, members, organisation):
    audit_record(organisation=organisation, actor=members["staff"].user, action="viewed_x")
    body = client_for(members["admin"]).get("/o/example/audit/").content.decode()
    assert members["staff"].user.email not in body
