"""Who sees whose money, the finance export, and the functions other apps call."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from withpeople.audit.models import AuditEvent
from withpeople.core.tables import as_bytes
from withpeople.recognition import exports, services
from withpeople.recognition.models import ExpenseClaim, MoneyStatus, Payment, TimeRecord
from withpeople.recognition.selectors import (
    FinanceRow,
    partner_time_recognised,
    personal_data_for_member,
)
from withpeople.recognition.tests.conftest import DAY, make_claim, png, stored_files
from withpeople.testing.downloads import READERS, read_download

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def url(name, organisation, **kwargs):
    return reverse(f"recognition:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


# Visibility: the person, staff and admins; nobody else.


@pytest.fixture
def other_partner(organisation):
    from withpeople.organisations.models import Role
    from withpeople.testing.factories import MembershipFactory

    return MembershipFactory(organisation=organisation, role=Role.PARTNER)


@pytest.fixture
def money_of_person(organisation, person, travel, policy):
    record = services.time_record_create(
        organisation=organisation,
        member=person,
        date=DAY,
        minutes=60,
        description="Reading the papers",
    )
    services.payment_create(
        organisation=organisation, member=person, time_records=[record], method="bank_transfer"
    )
    return make_claim(organisation, person, travel, amount="23.45")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        ("partner", True),  # the person
        ("staff", True),
        ("admin", True),
        ("other_partner", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_who_sees_a_persons_time_claims_and_payments(
    actor, sees, organisation, members, outsider, other_partner, person, money_of_person
):
    client = Client()
    login = {"outsider": outsider, "other_partner": other_partner}.get(actor) or members.get(actor)
    if login is not None:
        client.force_login(login.user)
    claim = money_of_person
    pages = [
        url("claim", organisation, pk=claim.pk),
        url("receipt", organisation, pk=claim.pk),
        url("preference", organisation, pk=person.pk),
    ]
    for page in pages:
        response = client.get(page)
        if actor == "anonymous":
            assert response.status_code == 302
            assert "/account/sign-in/" in response["Location"]
        else:
            assert response.status_code == (200 if sees else 404), (actor, page)
    # The person's own page, and staff's overview, show the amounts; nobody else's page does.
    if actor == "anonymous":
        return
    home = client.get(url("home", organisation))
    body = home.content.decode() if home.status_code == 200 else ""
    assert ("£23.45" in body) == sees, actor
    assert ("Reading the papers" in body) == (actor == "partner"), actor


@pytest.mark.django_db
def test_the_person_page_is_for_staff_and_admins_and_is_audited(
    client_for, organisation, members, person, money_of_person
):
    page = url("person", organisation, pk=person.pk)
    assert client_for(members["partner"]).get(page).status_code == 403
    response = client_for(members["admin"]).get(page)
    assert response.status_code == 200
    assert "£23.45" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="viewed_payments", actor=members["admin"].user, subject_id=str(person.pk)
    ).exists()


@pytest.mark.django_db
def test_a_person_of_another_organisation_is_404_under_our_slug(
    client_for, organisation, members, outsider
):
    from withpeople.groups.models import Group, GroupMember

    group = Group.objects.create(organisation=outsider.organisation, name="Theirs")
    theirs = GroupMember.objects.create(group=group, name="Kim", perspective="carer")
    record = services.time_record_create(
        organisation=outsider.organisation, member=theirs, date=DAY, minutes=30
    )
    payment = services.payment_create(
        organisation=outsider.organisation,
        member=theirs,
        time_records=[record],
        method="other",
        amount=Decimal("5"),
        over_policy_reason="A thank-you for their time.",
    )
    client = client_for(members["admin"])
    for name, pk in [
        ("person", theirs.pk),
        ("preference", theirs.pk),
        ("payment-add", theirs.pk),
        ("time-thanks", record.pk),
        ("payment-approve", payment.pk),
        ("payment-paid", payment.pk),
    ]:
        assert client.get(url(name, organisation, pk=pk)).status_code == 404, name


@pytest.mark.django_db
def test_records_cannot_cross_organisations(organisation, outsider, person):
    with pytest.raises(ValidationError):
        services.time_record_create(
            organisation=outsider.organisation, member=person, date=DAY, minutes=30
        )


@pytest.mark.django_db
def test_overview_queries_do_not_grow_with_people(
    client_for, organisation, members, group, policy, django_assert_max_num_queries
):
    from withpeople.groups.models import GroupMember

    client = client_for(members["staff"])

    def add_people(count):
        for n in range(count):
            member = GroupMember.objects.create(group=group, name=f"P{n}", perspective="carer")
            services.preference_set(member=member, choice="thanks")
            services.time_record_create(
                organisation=organisation, member=member, date=DAY, minutes=30
            )

    add_people(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url("home", organisation))
    add_people(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("home", organisation))
    assert "P7" in response.content.decode()


# The finance export.


def _rows_from_csv(response) -> list[list[str]]:
    return read_download(response, "csv")


def _money(cell) -> Decimal:
    # openpyxl reads numbers back as int or float; str() of a 2-decimal float is exact.
    return Decimal(str(cell)).quantize(Decimal("0.01"))


KIND, AMOUNT = 3, 6


def _check_totals(lines, expected_total: Decimal, count: int) -> None:
    header, body = lines[0], lines[1:]
    assert header[1] == "Reference" and header[AMOUNT] == "Amount (£)"
    items = body[:count]
    person_totals = body[count:-1]
    total_line = body[-1]
    assert all(line[KIND] == "Total for person" for line in person_totals)
    assert str(total_line[KIND]).startswith("Total for ")
    item_sum = sum((_money(line[AMOUNT]) for line in items), Decimal("0"))
    assert item_sum == _money(total_line[AMOUNT]) == expected_total
    assert sum((_money(line[AMOUNT]) for line in person_totals), Decimal("0")) == expected_total
    # One total per person, by reference, equal to the sum of their own rows.
    assert len({line[1] for line in person_totals}) == len(person_totals)
    for line in person_totals:
        own = [item for item in items if item[1] == line[1]]
        assert sum((_money(item[AMOUNT]) for item in own), Decimal("0")) == _money(line[AMOUNT])


names = st.sampled_from(["Ann", "Bo", "=cmd|' /C calc'!A0", "Zoë"])
amounts = st.integers(min_value=1, max_value=10**8).map(lambda p: Decimal(p) / 100)
# Two people may share a name: the reference tells them apart.
references = st.sampled_from(["P1", "P2", "P3"])


@given(st.lists(st.tuples(names, references, amounts), max_size=30))
def test_exported_rows_add_up_to_the_total_in_every_format(items):
    rows = [
        FinanceRow(
            person=name,
            reference=f"{reference}-{name}",
            group="Board",
            kind="Expense claim",
            category="Travel",
            date=DAY,
            amount=amount,
            status="Due",
        )
        for name, reference, amount in items
    ]
    expected = sum((amount for _n, _r, amount in items), Decimal("0.00"))
    table = exports.finance_table(rows, START, END, filename="finance")
    for fmt, read in READERS.items():
        lines = read(as_bytes(table, fmt))
        _check_totals(lines, expected, len(rows))
        # A name a spreadsheet would run as a formula is written as text.
        assert not any(str(line[0]).startswith("=") for line in lines)


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_export_view_for_a_period_is_audited(
    client_for, organisation, members, person, offline_person, travel, meals, policy, file_format
):
    records = [
        services.time_record_create(organisation=organisation, member=person, date=DAY, minutes=70),
        services.time_record_create(
            organisation=organisation, member=offline_person, date=DAY, minutes=240
        ),
    ]
    for record in records:
        services.payment_create(
            organisation=organisation,
            member=record.member,
            time_records=[record],
            method="bank_transfer",
            date=DAY,
        )
    make_claim(organisation, person, travel, amount="12.34")
    rejected = make_claim(organisation, offline_person, meals, amount="9.99")
    services.expense_claim_reject(claim=rejected, approver=members["admin"].user, reason="No")
    # Outside the period: left out.
    make_claim(organisation, person, meals, amount="1.00", date=datetime.date(2025, 12, 31))
    response = client_for(members["staff"]).get(
        url("export", organisation),
        {"start": "1/1/2026", "end": "31/12/2026", "file_format": file_format},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    lines = read_download(response, file_format)
    # £22.50 (70 minutes) + £45 (4 hours) + £12.34; the rejected claim is left out.
    _check_totals(lines, Decimal("79.84"), 3)
    assert {line[0] for line in lines[1:4]} == {person.name, offline_person.name}
    event = AuditEvent.objects.get(action="exported_finance")
    assert event.actor == members["staff"].user
    assert file_format in event.detail


@pytest.mark.django_db
def test_two_people_with_the_same_name_have_a_total_each(
    client_for, organisation, members, group, travel
):
    from withpeople.groups.models import GroupMember

    first, second = (
        GroupMember.objects.create(group=group, name="Sam Smith", perspective="carer")
        for _ in range(2)
    )
    make_claim(organisation, first, travel, amount="10.00")
    make_claim(organisation, second, travel, amount="2.50")
    response = client_for(members["staff"]).get(
        url("export", organisation),
        {"start": "1/1/2026", "end": "31/12/2026", "file_format": "csv"},
    )
    lines = _rows_from_csv(response)
    _check_totals(lines, Decimal("12.50"), 2)
    totals = {line[1]: line[AMOUNT] for line in lines if line[KIND] == "Total for person"}
    assert totals == {f"P{first.pk}": "10.00", f"P{second.pk}": "2.50"}


@pytest.mark.django_db
def test_export_period_filters_by_date(client_for, organisation, members, person, meals):
    make_claim(organisation, person, meals, amount="1.00")
    response = client_for(members["admin"]).get(
        url("export", organisation),
        {"start": "1/1/2025", "end": "31/12/2025", "file_format": "csv"},
    )
    lines = _rows_from_csv(response)
    assert len(lines) == 2  # the header and the period total only
    assert lines[-1][AMOUNT] == "0.00"


@pytest.mark.django_db
def test_export_form_errors(client_for, organisation, members):
    response = client_for(members["staff"]).get(
        url("export", organisation), {"start": "", "end": "1/1/2026", "file_format": ""}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter the first date of the period" in body
    assert "Select a file format" in body
    assert not AuditEvent.objects.filter(action="exported_finance").exists()
    response = client_for(members["staff"]).get(
        url("export", organisation),
        {"start": "2/1/2026", "end": "1/1/2026", "file_format": "csv"},
    )
    assert "same as or after the first date" in response.content.decode()


@pytest.mark.django_db
def test_partners_cannot_export(client_for, organisation, members):
    response = client_for(members["partner"]).get(
        url("export", organisation),
        {"start": "1/1/2026", "end": "31/12/2026", "file_format": "csv"},
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.exists()


# The functions other apps call.


@pytest.mark.django_db
def test_partner_time_recognised(organisation, group, members, policy):
    from withpeople.groups.models import GroupMember

    def someone(name, perspective, choice):
        member = GroupMember.objects.create(group=group, name=name, perspective=perspective)
        if choice:
            services.preference_set(member=member, choice=choice, benefits_note_seen=True)
        return member

    assert partner_time_recognised(organisation=organisation) == {
        "partner_minutes": 0,
        "recognised_minutes": 0,
        "percent": None,
    }
    paid = someone("Paid", "carer", "payment")
    vouchers_but_paid_by_bank = someone("Vee", "lived_experience", "vouchers")
    thanked = someone("Thea", "carer", "thanks")
    declined = someone("Dee", "carer", "decline")
    nothing_chosen = someone("Nia", "carer", None)
    staff_member = someone("Stan", "frontline_staff", "decline")

    def time(member, minutes):
        return services.time_record_create(
            organisation=organisation, member=member, date=DAY, minutes=minutes
        )

    paid_record = time(paid, 60)
    payment = services.payment_create(
        organisation=organisation, member=paid, time_records=[paid_record], method="bank_transfer"
    )
    time(paid, 30)  # not yet paid
    wrong_kind = time(vouchers_but_paid_by_bank, 40)
    wrong = services.payment_create(
        organisation=organisation,
        member=vouchers_but_paid_by_bank,
        time_records=[wrong_kind],
        method="bank_transfer",
    )
    services.payment_approve(payment=wrong, approver=members["admin"].user)
    services.payment_mark_paid(payment=wrong, paid_on=DAY)
    services.time_record_thank(time_record=time(thanked, 50))
    time(thanked, 10)  # not yet thanked
    time(declined, 20)
    time(nothing_chosen, 90)
    time(staff_member, 500)  # not a partner: not counted at all

    result = partner_time_recognised(organisation=organisation)
    assert result["partner_minutes"] == 60 + 30 + 40 + 50 + 10 + 20 + 90
    # Due or approved is not yet recognised; paid is.
    assert result["recognised_minutes"] == 50 + 20
    services.payment_approve(payment=payment, approver=members["admin"].user)
    services.payment_mark_paid(payment=payment, paid_on=DAY)
    result = partner_time_recognised(organisation=organisation)
    assert result["recognised_minutes"] == 60 + 50 + 20
    assert result["percent"] == round(130 * 100 / 300, 1) == 43.3
    assert isinstance(result["percent"], float)


@pytest.mark.django_db
def test_the_share_recognised_rounds_halves_up_like_the_dashboard(organisation, group, person):
    from withpeople.domain.values import time_recognised_percent
    from withpeople.groups.models import GroupMember

    services.preference_set(member=person, choice="decline")
    services.time_record_create(organisation=organisation, member=person, date=DAY, minutes=1)
    other = GroupMember.objects.create(group=group, name="Robin", perspective="carer")
    services.time_record_create(organisation=organisation, member=other, date=DAY, minutes=15)
    # 1 of 16 minutes is 6.25%: halves up gives 6.3 (rounding halves to even would give 6.2).
    result = partner_time_recognised(organisation=organisation)
    assert result["percent"] == 6.3 == time_recognised_percent(1, 16)


@pytest.mark.django_db
def test_partner_time_recognised_for_one_piece_of_work(organisation, group, person):
    from withpeople.groups.models import Group, GroupMember
    from withpeople.works.models import Activity, Aspect, Work

    work = Work.objects.create(organisation=organisation, group=group, title="Respite")
    aspect = Aspect.objects.create(work=work, key="design", name="Designing")
    activity = Activity.objects.create(work=work, aspect=aspect, date=DAY, kind="workshop")
    services.preference_set(member=person, choice="decline")
    other_group = Group.objects.create(organisation=organisation, name="Elsewhere")
    other = GroupMember.objects.create(group=other_group, name="Oz", perspective="carer")
    services.time_record_create(
        organisation=organisation, member=person, activity=activity, date=DAY, minutes=60
    )
    services.time_record_create(organisation=organisation, member=person, date=DAY, minutes=30)
    services.time_record_create(organisation=organisation, member=other, date=DAY, minutes=45)
    assert partner_time_recognised(organisation=organisation, work=work) == {
        "partner_minutes": 90,
        "recognised_minutes": 90,
        "percent": 100.0,
    }
    assert partner_time_recognised(organisation=organisation)["partner_minutes"] == 135


@pytest.mark.django_db
def test_personal_data_for_member_is_json_ready(organisation, person, travel, policy):
    services.preference_set(
        member=person, choice="payment", benefits_note_seen=True, payment_details="Acc 1234"
    )
    services.time_record_create(
        organisation=organisation, member=person, date=DAY, minutes=45, description="Papers"
    )
    make_claim(organisation, person, travel, amount="3.20")
    data = json.loads(json.dumps(personal_data_for_member(person)))
    assert data["preference"]["payment_details"] == "Acc 1234"
    assert data["time_records"][0] == {
        "date": "2026-03-02",
        "minutes": 45,
        "activity": None,
        "description": "Papers",
        "thanked_on": None,
        "payment_id": None,
    }
    assert data["expense_claims"][0]["amount"] == "3.20"
    assert data["expense_claims"][0]["has_receipt"] is True
    assert data["payments"] == []


@pytest.mark.django_db(transaction=True)
def test_erasing_a_member_keeps_the_facts_and_removes_the_details(
    organisation, person, travel, policy, media_root
):
    services.preference_set(
        member=person,
        choice="payment",
        benefits_note_seen=True,
        payment_details="Acc 1234",
        notes="Prefers post",
    )
    record = services.time_record_create(
        organisation=organisation, member=person, date=DAY, minutes=45, description="Papers"
    )
    services.payment_create(
        organisation=organisation,
        member=person,
        time_records=[record],
        method="bank_transfer",
        notes="Ref 99",
    )
    services.payment_create(
        organisation=organisation,
        member=person,
        time_records=[],
        method="bank_transfer",
        amount=Decimal("5.00"),
        over_policy_reason="Robin's bus home after the late meeting",
    )
    make_claim(
        organisation, person, travel, amount="31.00", over_limit_reason="Taxi", receipt=png()
    )
    assert stored_files(media_root)
    counts = services.recognition_erase_member(member=person)
    assert counts["receipt_files"] == 1
    data = personal_data_for_member(person)
    assert data["preference"]["payment_details"] == ""
    assert data["preference"]["notes"] == ""
    assert data["time_records"][0]["description"] == ""
    assert data["time_records"][0]["minutes"] == 45
    assert [p["notes"] for p in data["payments"]] == ["", ""]
    assert [p["over_policy_reason"] for p in data["payments"]] == ["", ""]
    assert sorted(p["amount"] for p in data["payments"]) == ["15.00", "5.00"]
    claim = data["expense_claims"][0]
    assert (claim["amount"], claim["date"], claim["category"]) == ("31.00", "2026-03-02", "Travel")
    assert (claim["description"], claim["over_limit_reason"], claim["has_receipt"]) == (
        "",
        "",
        False,
    )
    assert stored_files(media_root) == []
    assert ExpenseClaim.objects.count() == 1
    assert TimeRecord.objects.get().minutes == 45
    assert set(Payment.objects.values_list("status", flat=True)) == {MoneyStatus.DUE}


# Demo data.


@pytest.mark.django_db
def test_demo_step_runs_twice_and_gives_every_status(members, organisation):
    from withpeople.recognition.demo import demo_recognition

    people = {role: membership.user for role, membership in members.items()}
    demo_recognition(organisation, people)
    demo_recognition(organisation, people)
    payments = Payment.objects.for_organisation(organisation)
    claims = ExpenseClaim.objects.for_organisation(organisation)
    assert {p.status for p in payments} == {"due", "approved", "paid"}
    assert {c.status for c in claims} == {"due", "approved", "paid", "rejected"}
    assert claims.count() == 5
    assert (
        TimeRecord.objects.for_organisation(organisation)
        .filter(member__membership=members["partner"])
        .exists()
    )
    assert partner_time_recognised(organisation=organisation)["percent"] is not None


# The API.


@pytest.mark.django_db
def test_api_gives_a_partner_only_their_own_money(
    client_for, organisation, members, person, offline_person, meals, policy
):
    make_claim(organisation, person, meals, amount="4.10")
    make_claim(organisation, offline_person, meals, amount="7.70")
    response = client_for(members["partner"]).get(
        f"/api/v1/organisations/{organisation.slug}/recognition/mine"
    )
    assert response.status_code == 200
    data = response.json()
    assert [entry["group"] for entry in data] == [person.group.name]
    assert [c["amount"] for c in data[0]["data"]["expense_claims"]] == ["4.10"]
    policy_data = (
        client_for(members["partner"])
        .get(f"/api/v1/organisations/{organisation.slug}/recognition/policy")
        .json()
    )
    assert policy_data["hourly_rate"] == "15.00"
    assert policy_data["expense_categories"] == [
        {"name": "Meals", "limit_per_claim": "10.00", "receipt_required": False}
    ]


@pytest.mark.django_db(transaction=True)
def test_retention_deletes_old_receipts_of_closed_claims_only(
    organisation, members, person, travel, media_root
):
    old_paid = make_claim(organisation, person, travel, date=datetime.date(2020, 1, 1))
    services.expense_claim_approve(claim=old_paid, approver=members["admin"].user)
    services.expense_claim_mark_paid(claim=old_paid, paid_on=datetime.date(2020, 2, 1))
    old_due = make_claim(organisation, person, travel, date=datetime.date(2020, 1, 1))
    make_claim(organisation, person, travel)  # recent
    cutoff = datetime.date(2025, 1, 1)
    assert (
        services.recognition_apply_retention(
            organisation=organisation, older_than=cutoff, dry_run=True
        )
        == 1
    )
    assert len(stored_files(media_root)) == 3
    assert services.recognition_apply_retention(organisation=organisation, older_than=cutoff) == 1
    old_paid.refresh_from_db()
    old_due.refresh_from_db()
    assert not old_paid.receipt
    assert old_paid.amount == Decimal("12.50")
    assert old_due.receipt
    assert len(stored_files(media_root)) == 2
