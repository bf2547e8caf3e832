"""The organisation's overview lists claims and payments for staff to approve and pay."""

from __future__ import annotations

import datetime as dt

import pytest

from withpeople.groups import services as groups
from withpeople.recognition import services
from withpeople.recognition.models import MoneyStatus
from withpeople.recognition.tests.conftest import make_claim

pytestmark = pytest.mark.django_db


def _overview(client_for, membership) -> str:
    response = client_for(membership).get("/o/example/")
    assert response.status_code == 200
    return response.content.decode()


def _join(group, membership, perspective):
    return groups.group_member_add(
        group=group,
        membership=membership,
        perspective=perspective,
        role="member",
        joined_on=dt.date(2026, 1, 5),
    )


def test_claims_wait_for_staff_to_approve_but_not_their_own(
    client_for, members, organisation, group, person, travel
):
    make_claim(organisation, person, travel)
    staff_place = _join(group, members["staff"], "frontline_staff")
    make_claim(organisation, staff_place, travel)

    assert "1 expense claim or payment is waiting for approval" in _overview(
        client_for, members["staff"]
    )
    assert "2 expense claims and payments are waiting for approval" in _overview(
        client_for, members["admin"]
    )
    assert "waiting for approval" not in _overview(client_for, members["partner"])


def test_approved_claims_wait_to_be_paid(client_for, members, organisation, person, travel):
    claim = make_claim(organisation, person, travel)
    claim = services.expense_claim_approve(claim=claim, approver=members["admin"].user)
    assert claim.status == MoneyStatus.APPROVED

    page = _overview(client_for, members["staff"])
    assert "1 approved claim or payment is waiting to be paid" in page
    assert "waiting for approval" not in page
