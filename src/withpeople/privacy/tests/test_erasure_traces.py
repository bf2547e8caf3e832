"""After erasure, nothing in the organisation points to the person's account, even when the
account stays for another organisation; and the erase page says nothing about other tenants."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from withpeople.feedback.models import Channel, Response
from withpeople.groups.models import Group, GroupMember
from withpeople.improvement.models import Publication, Rating
from withpeople.improvement.services import rating_save
from withpeople.improvement.tests.helpers import make_cycle, statement
from withpeople.organisations.models import Invitation, Role
from withpeople.privacy.services import person_erase
from withpeople.recognition import receipts, services
from withpeople.recognition.models import (
    ExpenseClaim,
    Payment,
    RecognitionPolicy,
    RecognitionPreference,
    TimeRecord,
)
from withpeople.testing.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def leaver(organisation):
    """A member of staff who also works for another organisation, with the same account."""
    membership = MembershipFactory(
        organisation=organisation, role=Role.STAFF, perspective="frontline_staff"
    )
    elsewhere = MembershipFactory(
        organisation=OrganisationFactory(slug="other", name="Other Trust"),
        user=membership.user,
        role=Role.STAFF,
    )
    return membership, elsewhere


def _records_touched_by(organisation, user, members):
    """Everything in recognition, feedback and improvement a member of staff can leave behind."""
    group = Group.objects.create(organisation=organisation, name="Board")
    person = GroupMember.objects.create(group=group, name="Robin", perspective="carer")
    services.policy_update(organisation=organisation, updated_by=user, hourly_rate=Decimal("15"))
    record = services.time_record_create(
        organisation=organisation,
        member=person,
        date=dt.date(2026, 3, 2),
        minutes=60,
        recorded_by=user,
    )
    services.preference_set(member=person, choice="thanks", recorded_by=user)
    payment = services.payment_create(
        organisation=organisation,
        member=person,
        time_records=[record],
        method="bank_transfer",
        created_by=members["admin"].user,
    )
    services.payment_approve(payment=payment, approver=user)
    category = services.expense_category_save(
        organisation=organisation, name="Travel", limit_per_claim=None, receipt_required=False
    )
    claim = services.expense_claim_create(
        organisation=organisation,
        member=person,
        category=category,
        date=dt.date(2026, 3, 2),
        description="Bus",
        amount=Decimal("3.00"),
        receipt=SimpleUploadedFile("bus.png", receipts.TINY_PNG),
        claimed_by=user,
    )
    decided = services.expense_claim_create(
        organisation=organisation,
        member=person,
        category=category,
        date=dt.date(2026, 3, 2),
        description="Train",
        amount=Decimal("8.00"),
        claimed_by=members["admin"].user,
    )
    services.expense_claim_approve(claim=decided, approver=user)
    cycle = make_cycle(organisation)
    Response.objects.create(cycle=cycle, channel=Channel.PAPER, entered_by=user)
    Publication.objects.create(cycle=cycle, published_by=user)
    Invitation.objects.create(
        organisation=organisation,
        email="new@example.org",
        role="partner",
        perspective="carer",
        token_hash="y" * 64,
        expires_at="2030-01-01T00:00:00Z",
        invited_by=user,
    )
    return {"claim": claim, "decided": decided, "cycle": cycle}


def test_nothing_points_to_an_account_kept_for_another_organisation(
    client_for, members, organisation, leaver
):
    membership, elsewhere = leaver
    user = membership.user
    made = _records_touched_by(organisation, user, members)
    # The same person's work in the other organisation is not this organisation's to change.
    other_policy = services.policy_update(
        organisation=elsewhere.organisation, updated_by=user, hourly_rate=Decimal("9")
    )

    person_erase(membership=membership, actor=members["admin"].user)

    assert not RecognitionPolicy.objects.filter(organisation=organisation, updated_by=user).exists()
    for model, fields in [
        (TimeRecord, ["recorded_by"]),
        (RecognitionPreference, ["recorded_by"]),
        (Payment, ["created_by", "approved_by"]),
        (ExpenseClaim, ["claimed_by", "decided_by"]),
        (Response, ["entered_by"]),
        (Publication, ["published_by"]),
        (Invitation, ["invited_by"]),
    ]:
        for field in fields:
            assert not model.objects.filter(**{field: user}).exists(), f"{model} {field}"
    # What was done stays.
    assert Payment.objects.get().status == "approved"
    assert ExpenseClaim.objects.get(pk=made["decided"].pk).status == "approved"
    other_policy.refresh_from_db()
    assert other_policy.updated_by == user

    page = client_for(members["admin"]).get(
        f"/o/example/time-and-payments/claims/{made['decided'].pk}/"
    )
    assert "By a former member on" in page.content.decode()
    assert user.name not in page.content.decode()


def test_the_erase_page_does_not_say_whether_someone_belongs_elsewhere(
    client_for, members, organisation, leaver
):
    membership, _elsewhere = leaver
    only_here = MembershipFactory(organisation=organisation, role=Role.STAFF)
    admin = client_for(members["admin"])

    def what_happens(person):
        body = admin.get(f"/o/example/people-data/{person.pk}/erase/").content.decode()
        return re.sub(r'value="[A-Za-z0-9]{64}"', "", body.replace(person.user.name, "NAME"))

    assert what_happens(membership) == what_happens(only_here)
    assert "another organisation" not in what_happens(only_here).replace(
        "with another organisation on WithPeople", ""
    )


def test_self_assessment_ratings_stay_after_erasure(client_for, members, organisation):
    cycle = make_cycle(organisation)
    we = statement(cycle, next(iter(_we_keys(cycle))))
    rater = MembershipFactory(organisation=organisation, role=Role.PARTNER, perspective="carer")
    rating_save(cycle=cycle, statement=we, membership=rater, level="started")
    person_erase(membership=rater, actor=members["admin"].user)
    rating = Rating.objects.get()
    assert rating.membership is None and rating.perspective == "carer"
    page = client_for(members["staff"]).get(f"/o/example/cycles/{cycle.slug}/self-assessment/")
    assert page.status_code == 200


def _we_keys(cycle):
    from withpeople.feedback.models import Statement, StatementKind

    return Statement.objects.filter(
        theme__framework=cycle.framework, kind=StatementKind.WE
    ).values_list("key", flat=True)
