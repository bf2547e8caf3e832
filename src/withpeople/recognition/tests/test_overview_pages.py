"""The overview of time and payments lists people and open payments a page at a time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from withpeople.groups.models import GroupMember
from withpeople.recognition import services
from withpeople.recognition.views import RECOGNITION_PER_PAGE

pytestmark = pytest.mark.django_db
P = "/o/example/time-and-payments/"


def test_people_and_payments_come_a_page_at_a_time(client_for, members, group, policy):
    people = [
        GroupMember.objects.create(group=group, name=f"Person {n:03d}", perspective="carer")
        for n in range(RECOGNITION_PER_PAGE + 2)
    ]
    for member in people:
        services.preference_set(member=member, choice="thanks")
    for member in people[:3]:
        services.payment_create(
            organisation=group.organisation,
            member=member,
            time_records=[],
            method="bank_transfer",
            amount=Decimal("10.00"),
            over_policy_reason="A thank-you for the day.",
        )
    client = client_for(members["staff"])
    body = client.get(P).content.decode()
    assert "Person 000" in body and "Person 051" not in body
    assert 'aria-label="Pages of people"' in body
    # The three open payments fit one page of their own list, which has no page links.
    assert 'id="payments-caption"' in body and "£10.00" in body
    assert 'aria-label="Pages of payments"' not in body
    body = client.get(P + "?page=2").content.decode()
    assert "Person 050" in body and "Person 051" in body and "Person 049" not in body
