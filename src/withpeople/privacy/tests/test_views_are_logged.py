"""Every look at personal data is in the audit log: diversity figures (pages and API), the pages
that show a payment or claim before it is approved, rejected or marked paid, and the page that
shows how to reach someone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from withpeople.accounts.services import api_token_create
from withpeople.audit.models import AuditEvent
from withpeople.diversity.tests.factories import answering_members, make_question
from withpeople.diversity.tests.helpers import make_work
from withpeople.groups.models import Group, GroupMember
from withpeople.recognition import receipts, services

pytestmark = pytest.mark.django_db


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_diversity_figures_pages_and_api_are_logged(client_for, client, members, organisation):
    category, (under, _over) = make_question(organisation)
    answering_members(organisation, category, [under] * 5)
    work = make_work(organisation)
    partner = members["partner"]
    client_for(partner).get("/o/example/diversity/")
    client_for(partner).get(f"/o/example/diversity/work/{work.pk}/")
    _token, raw = api_token_create(user=partner.user, name="script")
    client.get("/api/v1/organisations/example/diversity", HTTP_AUTHORIZATION=f"Bearer {raw}")
    events = _events("viewed_diversity")
    assert [e.detail for e in events] == [
        "diversity figures",
        f"diversity figures, work {work.pk}",
        "API",
    ]
    assert all(e.actor == partner.user for e in events)


def test_no_questions_no_figures_nothing_logged(client_for, members):
    client_for(members["partner"]).get("/o/example/diversity/")
    assert not _events("viewed_diversity")


@pytest.fixture
def money(organisation, members, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    group = Group.objects.create(organisation=organisation, name="Board")
    robin = GroupMember.objects.create(
        group=group, name="Robin", perspective="carer", contact="01632 960000"
    )
    services.policy_update(organisation=organisation, updated_by=None, hourly_rate=Decimal("15"))
    record = services.time_record_create(
        organisation=organisation, member=robin, date=dt.date(2026, 3, 2), minutes=60
    )
    payment = services.payment_create(
        organisation=organisation, member=robin, time_records=[record], method="bank_transfer"
    )
    category = services.expense_category_save(
        organisation=organisation, name="Travel", limit_per_claim=None, receipt_required=True
    )
    claim = services.expense_claim_create(
        organisation=organisation,
        member=robin,
        category=category,
        date=dt.date(2026, 3, 2),
        description="Bus",
        amount=Decimal("3.00"),
        receipt=SimpleUploadedFile("bus.png", receipts.TINY_PNG),
    )
    return {"member": robin, "payment": payment, "claim": claim, "group": group}


def test_the_pages_before_deciding_on_money_are_logged(client_for, members, money):
    staff = client_for(members["staff"])
    base = "/o/example/time-and-payments"
    payment, claim = money["payment"], money["claim"]
    for path in ["approve", "paid"]:
        assert staff.get(f"{base}/payments/{payment.pk}/{path}/").status_code == 200
    for path in ["approve", "reject", "paid"]:
        assert staff.get(f"{base}/claims/{claim.pk}/{path}/").status_code == 200
    payments = _events("viewed_payments")
    claims = _events("viewed_expense_claim")
    assert [(e.subject_id, e.detail) for e in payments] == [
        (str(payment.pk), "approve"),
        (str(payment.pk), "mark as paid"),
    ]
    assert [(e.subject_id, e.detail) for e in claims] == [
        (str(claim.pk), "approve"),
        (str(claim.pk), "reject"),
        (str(claim.pk), "mark as paid"),
    ]
    assert all(e.actor == members["staff"].user for e in payments + claims)


def test_the_page_showing_how_to_reach_someone_is_logged(client_for, members, money):
    robin = money["member"]
    url = f"/o/example/groups/{money['group'].pk}/members/{robin.pk}/"
    response = client_for(members["staff"]).get(url)
    assert "01632 960000" in response.content.decode()
    (event,) = _events("viewed_contact_details")
    assert (event.subject_type, event.subject_id) == ("groups.groupmember", str(robin.pk))
    assert "01632" not in event.detail
