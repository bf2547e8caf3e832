"""Policy, time given, preferences and payments."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from withpeople.audit.models import AuditEvent
from withpeople.recognition import services
from withpeople.recognition.models import (
    MoneyStatus,
    Payment,
    RecognitionPolicy,
    RecognitionPreference,
    TimeRecord,
)
from withpeople.recognition.tests.conftest import DAY

pytestmark = pytest.mark.django_db


def url(name, organisation, **kwargs):
    return reverse(f"recognition:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


# Policy


def test_an_admin_sets_the_policy_and_its_version_goes_up(client_for, organisation, members):
    client = client_for(members["admin"])
    data = {
        "hourly_rate": "£15",
        "half_day_rate": "45.00",
        "day_rate": "85",
        "voucher_provider": "Local vouchers",
        "voucher_value_per_hour": "10",
        "voucher_value_per_session": "",
        "benefits_advice_text": "Talk to Citizens Advice.",
        "benefits_advice_url": "https://example.org/advice",
    }
    assert client.post(url("policy-edit", organisation), data).status_code == 302
    policy = RecognitionPolicy.objects.get(organisation=organisation)
    assert (policy.hourly_rate, policy.half_day_rate, policy.day_rate) == (
        Decimal("15.00"),
        Decimal("45.00"),
        Decimal("85.00"),
    )
    assert policy.version == 1
    assert policy.updated_by == members["admin"].user
    client.post(url("policy-edit", organisation), data | {"hourly_rate": "16"})
    policy.refresh_from_db()
    assert policy.version == 2
    assert policy.hourly_rate == Decimal("16.00")
    page = client_for(members["partner"]).get(url("policy", organisation)).content.decode()
    assert "£16.00 an hour" in page
    assert "Talk to Citizens Advice." in page


def test_a_bad_rate_changes_nothing(client_for, organisation, members, policy):
    response = client_for(members["admin"]).post(
        url("policy-edit", organisation), {"hourly_rate": "15.555", "half_day_rate": "45"}
    )
    assert "no more than 2 numbers for the pence" in response.content.decode()
    policy.refresh_from_db()
    assert policy.version == 1
    assert policy.hourly_rate == Decimal("15.00")


def test_an_admin_adds_and_changes_an_expense_category(client_for, organisation, members):
    client = client_for(members["admin"])
    client.post(
        url("category-add", organisation),
        {"name": "Care cover", "limit_per_claim": "60", "receipt_required": "yes"},
    )
    category = organisation.expense_categories.get()
    assert (category.limit_per_claim, category.receipt_required) == (Decimal("60.00"), True)
    response = client.post(
        url("category-add", organisation),
        {"name": "care cover", "limit_per_claim": "", "receipt_required": "no"},
    )
    assert "already a category with this name" in response.content.decode()
    client.post(
        url("category-edit", organisation, pk=category.pk),
        {"name": "Care cover", "limit_per_claim": "", "receipt_required": "no"},
    )
    category.refresh_from_db()
    assert (category.limit_per_claim, category.receipt_required) == (None, False)


# Time given


def test_a_partner_records_their_own_time(client_for, organisation, members, person):
    response = client_for(members["partner"]).post(
        url("time-add", organisation),
        {"member": person.pk, "activity": "", "date": "2/3/2026", "hours": "2", "minutes": "30"},
    )
    assert response.status_code == 302
    record = TimeRecord.objects.get()
    assert (record.member, record.minutes, record.date) == (person, 150, DAY)
    assert record.recorded_by == members["partner"].user
    assert record.activity is None


def test_a_partner_cannot_record_time_for_someone_else(
    client_for, organisation, members, person, offline_person
):
    response = client_for(members["partner"]).post(
        url("time-add", organisation),
        {"member": offline_person.pk, "date": "2/3/2026", "hours": "1"},
    )
    assert response.status_code == 200
    assert "Select one of the groups listed" in response.content.decode()
    assert not TimeRecord.objects.exists()


def test_a_partner_records_time_for_one_of_their_groups(client_for, organisation, members, person):
    from bs4 import BeautifulSoup

    from withpeople.groups.models import Group, GroupMember

    board = Group.objects.create(organisation=organisation, name="Adult social care board")
    GroupMember.objects.create(
        group=board, membership=members["partner"], name=person.name, perspective="carer"
    )
    page = client_for(members["partner"]).get(url("time-add", organisation))
    html = BeautifulSoup(page.content, "html.parser")
    legend = html.select_one("fieldset:has(input[name=member]) legend").get_text(strip=True)
    assert legend == "Which group was this time for?"
    choices = [label.get_text(strip=True) for label in html.select("label[for^=id_member_]")]
    assert choices == ["Adult social care board", "Carers' board"]
    staff_page = client_for(members["staff"]).get(url("time-add", organisation))
    html = BeautifulSoup(staff_page.content, "html.parser")
    choices = [label.get_text(strip=True) for label in html.select("label[for^=id_member_]")]
    assert f"{person.name} — Carers' board" in choices


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hours": "", "minutes": ""}, "Enter how long"),
        ({"hours": "0", "minutes": "0"}, "Enter how long"),
        ({"hours": "25"}, "Hours must be 24 or fewer"),
        ({"hours": "24", "minutes": "30"}, "no more than 24 hours"),
        ({"hours": "1", "minutes": "75"}, "Minutes must be 59 or fewer"),
        ({"hours": "1", "date": "31/2/2026"}, "Enter a real date"),
        ({"hours": "1", "date": ""}, "Enter the date the time was given"),
    ],
)
def test_bad_time_is_refused(client_for, organisation, members, person, data, message):
    payload = {"member": person.pk, "date": "2/3/2026"} | data
    response = client_for(members["staff"]).post(url("time-add", organisation), payload)
    assert message in response.content.decode()
    assert not TimeRecord.objects.exists()


def test_time_can_be_for_an_activity(client_for, organisation, members, person):
    from withpeople.works.models import Activity, Aspect, Work

    work = Work.objects.create(organisation=organisation, group=person.group, title="Respite")
    aspect = Aspect.objects.create(work=work, key="design", name="Designing options")
    activity = Activity.objects.create(
        work=work, aspect=aspect, date=DAY, kind="workshop", title="Options workshop"
    )
    client_for(members["staff"]).post(
        url("time-add", organisation),
        {"member": person.pk, "activity": activity.pk, "date": "2/3/2026", "hours": "3"},
    )
    assert TimeRecord.objects.get().activity == activity


# Preferences


def test_choosing_payment_needs_the_benefits_note_read(client_for, organisation, members, person):
    client = client_for(members["partner"])
    page = client.get(url("preference", organisation, pk=person.pk)).content.decode()
    assert "govuk-warning-text" in page
    assert "can affect benefits" in page
    response = client.post(url("preference", organisation, pk=person.pk), {"choice": "payment"})
    assert "Confirm that you have read the note about payments and benefits" in (
        response.content.decode()
    )
    assert not RecognitionPreference.objects.exists()
    client.post(
        url("preference", organisation, pk=person.pk),
        {"choice": "payment", "benefits_note_seen": "on", "payment_details": "Sort code 00"},
    )
    preference = RecognitionPreference.objects.get()
    assert (preference.choice, preference.payment_details) == ("payment", "Sort code 00")


def test_the_organisations_signpost_is_shown_to_people_choosing(
    client_for, organisation, members, person, policy
):
    page = (
        client_for(members["partner"])
        .get(url("preference", organisation, pk=person.pk))
        .content.decode()
    )
    assert "Ask Citizens Advice before you choose." in page
    assert 'href="https://example.org/benefits"' in page


def test_staff_record_a_preference_for_someone_without_an_account_and_it_is_audited(
    client_for, organisation, members, offline_person
):
    client = client_for(members["staff"])
    client.get(url("preference", organisation, pk=offline_person.pk))
    assert AuditEvent.objects.filter(
        action="viewed_recognition_preference", subject_id=str(offline_person.pk)
    ).exists()
    client.post(url("preference", organisation, pk=offline_person.pk), {"choice": "thanks"})
    assert RecognitionPreference.objects.get(member=offline_person).choice == "thanks"


def test_a_partner_cannot_see_someone_elses_preference(
    client_for, organisation, members, offline_person
):
    response = client_for(members["partner"]).get(
        url("preference", organisation, pk=offline_person.pk)
    )
    assert response.status_code == 404


# Payments


def _time(organisation, member, minutes, day=DAY):
    return services.time_record_create(
        organisation=organisation, member=member, date=day, minutes=minutes
    )


def test_payment_amount_comes_from_the_policy(client_for, organisation, members, person, policy):
    records = [_time(organisation, person, 70), _time(organisation, person, 240)]
    response = client_for(members["staff"]).post(
        url("payment-add", organisation, pk=person.pk),
        {"time_records": [r.pk for r in records], "method": "bank_transfer", "amount": ""},
    )
    assert response.status_code == 302
    payment = Payment.objects.get()
    # 70 minutes is 1.5 hours at £15 (£22.50); 4 hours is a half day (£45).
    assert payment.amount == Decimal("67.50")
    assert payment.status == MoneyStatus.DUE
    assert payment.policy_version == policy.version
    assert set(payment.time_records.all()) == set(records)


def test_voucher_amount_comes_from_the_policy(organisation, person, policy):
    record = _time(organisation, person, 70)
    payment = services.payment_create(
        organisation=organisation, member=person, time_records=[record], method="voucher"
    )
    assert payment.amount == Decimal("15.00")


def test_time_is_paid_once_and_only_for_its_person(organisation, person, offline_person, policy):
    record = _time(organisation, person, 60)
    services.payment_create(
        organisation=organisation, member=person, time_records=[record], method="bank_transfer"
    )
    with pytest.raises(ValidationError, match="not been paid yet"):
        services.payment_create(
            organisation=organisation,
            member=person,
            time_records=[record],
            method="bank_transfer",
        )
    other = _time(organisation, offline_person, 60)
    with pytest.raises(ValidationError):
        services.payment_create(
            organisation=organisation,
            member=person,
            time_records=[other],
            method="bank_transfer",
        )
    assert Payment.objects.count() == 1


def test_without_rates_staff_must_enter_the_amount(organisation, person):
    record = _time(organisation, person, 60)
    with pytest.raises(ValidationError, match="no hourly rate"):
        services.payment_create(
            organisation=organisation,
            member=person,
            time_records=[record],
            method="bank_transfer",
        )
    payment = services.payment_create(
        organisation=organisation,
        member=person,
        time_records=[record],
        method="other",
        amount=Decimal("20"),
        over_policy_reason="Our usual £20 for a meeting, until the policy has rates.",
    )
    assert payment.amount == Decimal("20.00")
    assert payment.over_policy_reason.startswith("Our usual")


def test_a_typed_amount_above_the_policy_needs_a_reason(organisation, person, policy):
    record = _time(organisation, person, 60)  # the policy gives £15.00
    for amount in (Decimal("15.01"), Decimal("99999.00")):
        with pytest.raises(ValidationError) as error:
            services.payment_create(
                organisation=organisation,
                member=person,
                time_records=[record],
                method="bank_transfer",
                amount=amount,
            )
        assert "The policy gives £15.00" in str(error.value.message_dict["over_policy_reason"])
    assert not Payment.objects.exists()
    assert TimeRecord.objects.get(pk=record.pk).payment is None
    # Within the policy, no reason is needed, and none is kept.
    within = services.payment_create(
        organisation=organisation,
        member=person,
        time_records=[record],
        method="bank_transfer",
        amount=Decimal("12.00"),
        over_policy_reason="  ",
    )
    assert within.amount == Decimal("12.00") and within.over_policy_reason == ""


def test_an_amount_with_no_time_needs_a_reason(organisation, person, policy):
    with pytest.raises(ValidationError) as error:
        services.payment_create(
            organisation=organisation,
            member=person,
            time_records=[],
            method="bank_transfer",
            amount=Decimal("99999.00"),
        )
    assert "no time chosen" in str(error.value.message_dict["over_policy_reason"])
    payment = services.payment_create(
        organisation=organisation,
        member=person,
        time_records=[],
        method="bank_transfer",
        amount=Decimal("40.00"),
        over_policy_reason="Travel time to the away day, agreed by the board.",
    )
    assert payment.over_policy_reason.startswith("Travel time")


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00")])
def test_a_payment_of_nothing_or_less_is_refused(organisation, person, policy, amount):
    with pytest.raises(ValidationError) as error:
        services.payment_create(
            organisation=organisation,
            member=person,
            time_records=[_time(organisation, person, 60)],
            method="bank_transfer",
            amount=amount,
            over_policy_reason="Because.",
        )
    assert "amount" in error.value.message_dict
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("amount", "reason", "message"),
    [
        ("99999.00", "", "The policy gives £15.00 for the time chosen"),
        ("0", "A reason", "The amount must be more than £0"),
        ("-5", "A reason", "The amount must be more than £0"),
        ("12.345", "", "no more than 2 numbers for the pence"),
    ],
)
def test_the_payment_form_refuses_bad_amounts(
    client_for, organisation, members, person, policy, amount, reason, message
):
    record = _time(organisation, person, 60)
    response = client_for(members["staff"]).post(
        url("payment-add", organisation, pk=person.pk),
        {
            "time_records": [record.pk],
            "method": "bank_transfer",
            "amount": amount,
            "over_policy_reason": reason,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert not Payment.objects.exists()


def test_the_payment_form_keeps_the_reason_and_the_approver_sees_it(
    client_for, organisation, members, person, policy
):
    record = _time(organisation, person, 60)
    response = client_for(members["staff"]).post(
        url("payment-add", organisation, pk=person.pk),
        {
            "time_records": [record.pk],
            "method": "bank_transfer",
            "amount": "25.00",
            "over_policy_reason": "They chaired the meeting as well.",
        },
    )
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.amount == Decimal("25.00")
    page = client_for(members["admin"]).get(url("payment-approve", organisation, pk=payment.pk))
    assert "They chaired the meeting as well." in page.content.decode()


def test_payment_goes_due_approved_paid(client_for, organisation, members, person, policy):
    payment = services.payment_create(
        organisation=organisation,
        member=person,
        time_records=[_time(organisation, person, 60)],
        method="bank_transfer",
    )
    staff = client_for(members["staff"])
    response = staff.post(url("payment-paid", organisation, pk=payment.pk), {"paid_on": "1/4/26"})
    assert "Only an approved payment" in response.content.decode()
    assert (
        client_for(members["partner"])
        .post(url("payment-approve", organisation, pk=payment.pk))
        .status_code
        == 403
    )
    staff.post(url("payment-approve", organisation, pk=payment.pk))
    payment.refresh_from_db()
    assert (payment.status, payment.approved_by) == (MoneyStatus.APPROVED, members["staff"].user)
    staff.post(url("payment-paid", organisation, pk=payment.pk), {"paid_on": "1/4/2026"})
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on) == (MoneyStatus.PAID, datetime.date(2026, 4, 1))


def test_nobody_approves_a_payment_to_themselves(organisation, members, group, policy):
    from withpeople.groups.models import GroupMember

    staff_in_group = GroupMember.objects.create(
        group=group, membership=members["staff"], name="Sam", perspective="carer"
    )
    payment = services.payment_create(
        organisation=organisation,
        member=staff_in_group,
        time_records=[_time(organisation, staff_in_group, 60)],
        method="bank_transfer",
    )
    with pytest.raises(ValidationError, match="that is for you"):
        services.payment_approve(payment=payment, approver=members["staff"].user)
    payment.refresh_from_db()
    assert payment.status == MoneyStatus.DUE


def test_nobody_approves_a_payment_they_recorded(client_for, organisation, members, person, policy):
    payment = services.payment_create(
        organisation=organisation,
        member=person,
        time_records=[_time(organisation, person, 60)],
        method="bank_transfer",
        created_by=members["staff"].user,
    )
    response = client_for(members["staff"]).post(
        url("payment-approve", organisation, pk=payment.pk)
    )
    assert "You cannot approve a payment you recorded" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == MoneyStatus.DUE and payment.approved_by is None
    services.payment_approve(payment=payment, approver=members["admin"].user)
    payment.refresh_from_db()
    assert payment.status == MoneyStatus.APPROVED


def test_time_for_an_activity_of_another_groups_work_is_refused(
    client_for, organisation, members, person
):
    from withpeople.groups.models import Group
    from withpeople.works.models import Activity, Aspect, Work

    other_group = Group.objects.create(organisation=organisation, name="Day services")
    work = Work.objects.create(
        organisation=organisation, group=other_group, title="Day services", level="strategic"
    )
    aspect = Aspect.objects.create(work=work, key="designing", name="Designing")
    elsewhere = Activity.objects.create(work=work, aspect=aspect, date=DAY, kind="workshop")
    with pytest.raises(ValidationError) as error:
        services.time_record_create(
            organisation=organisation, member=person, date=DAY, minutes=60, activity=elsewhere
        )
    assert "activity" in error.value.message_dict
    assert not TimeRecord.objects.exists()
    # Nor is it offered on the form, or accepted from it.
    client = client_for(members["staff"])
    page = client.get(url("time-add", organisation) + f"?member={person.pk}").content.decode()
    assert f'<option value="{elsewhere.pk}"' not in page
    response = client.post(
        url("time-add", organisation) + f"?member={person.pk}",
        {"member": person.pk, "activity": elsewhere.pk, "date": "2/3/2026", "hours": "1"},
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not TimeRecord.objects.exists()


def test_every_activity_of_their_groups_work_is_offered_grouped_by_work(
    client_for, organisation, members, person, group
):
    from withpeople.groups.models import Group
    from withpeople.works.models import Activity, Aspect, Work

    work = Work.objects.create(
        organisation=organisation, group=group, title="Carers' strategy", level="strategic"
    )
    aspect = Aspect.objects.create(work=work, key="designing", name="Designing")
    activities = Activity.objects.bulk_create(
        Activity(
            work=work,
            aspect=aspect,
            date=DAY - datetime.timedelta(days=n),
            kind="meeting",
            title=f"Meeting {n}",
        )
        for n in range(230)
    )
    other = Work.objects.create(
        organisation=organisation,
        group=Group.objects.create(organisation=organisation, name="Other"),
        title="Other work",
        level="strategic",
    )
    not_theirs = Activity.objects.create(
        work=other,
        aspect=Aspect.objects.create(work=other, key="deciding", name="Deciding"),
        date=DAY,
        kind="meeting",
    )
    # The partner is offered every activity of their group's work, the oldest too.
    page = client_for(members["partner"]).get(url("time-add", organisation)).content.decode()
    assert '<optgroup label="Carers&#x27; strategy">' in page
    assert all(f'<option value="{a.pk}"' in page for a in activities)
    assert f'<option value="{not_theirs.pk}"' not in page
    oldest = min(activities, key=lambda a: a.date)
    response = client_for(members["partner"]).post(
        url("time-add", organisation),
        {"member": person.pk, "activity": oldest.pk, "date": "2/3/2026", "minutes": "30"},
    )
    assert response.status_code == 302
    assert TimeRecord.objects.get().activity == oldest


def test_staff_record_thanks(client_for, organisation, members, person):
    services.preference_set(member=person, choice="thanks")
    record = _time(organisation, person, 60)
    client_for(members["staff"]).post(url("time-thanks", organisation, pk=record.pk))
    record.refresh_from_db()
    assert record.thanked_on is not None


def _cells(page, caption):
    """Each row of the table with this caption, as a list of its cells' text."""
    from bs4 import BeautifulSoup

    html = BeautifulSoup(page.content, "html.parser")
    table = next(t for t in html.select("table") if t.caption.get_text(strip=True) == caption)
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in table.select("tbody tr")
    ]


def test_the_two_ways_of_not_being_paid_are_told_apart():
    from withpeople.recognition.models import Preference

    thanks, decline = Preference.THANKS.label, Preference.DECLINE.label
    assert thanks == "Thanks only — no payment or vouchers"
    assert decline == "No recognition — no payment, vouchers or thanks"


def test_time_is_described_by_what_each_person_wanted(
    client_for, organisation, members, group, policy
):
    from withpeople.groups.models import GroupMember

    def someone(name, choice):
        member = GroupMember.objects.create(group=group, name=name, perspective="carer")
        if choice:
            services.preference_set(member=member, choice=choice, benefits_note_seen=True)
        return member

    dee, thea, pat, vic, nia = (
        someone("Dee", "decline"),
        someone("Thea", "thanks"),
        someone("Pat", "payment"),
        someone("Vic", "vouchers"),
        someone("Nia", None),
    )
    for member in (dee, dee, thea, pat, pat, vic, nia):
        _time(organisation, member, 60)
    services.time_record_thank(time_record=_time(organisation, thea, 30))
    paid = _time(organisation, pat, 30)
    payment = services.payment_create(
        organisation=organisation, member=pat, time_records=[paid], method="bank_transfer"
    )

    client = client_for(members["admin"])
    people = _cells(client.get(url("home", organisation)), "People")
    rows = {row[0].split(" (")[0]: row for row in people}  # the group is there for screen readers
    still = {name: row[-1] for name, row in rows.items()}
    assert still == {
        "Dee": "None: no payment, vouchers or thanks wanted",
        "Thea": "1 time record not thanked yet",
        "Pat": "3 time records not paid yet",  # one is in a payment not yet paid
        "Vic": "1 time record with no vouchers yet",
        "Nia": "1 time record: how to recognise it is not chosen yet",
    }
    assert rows["Dee"][2] == "No recognition — no payment, vouchers or thanks"
    assert rows["Thea"][2] == "Thanks only — no payment or vouchers"

    def statuses(member):
        from bs4 import BeautifulSoup

        page = client.get(url("person", organisation, pk=member.pk))
        html = BeautifulSoup(page.content, "html.parser")
        table = next(t for t in html.select("table") if "Time given" in t.caption.get_text())
        assert table.select("thead th")[-1].get_text(strip=True) == "Recognition"
        return sorted(tag.get_text(strip=True) for tag in table.select("tbody .govuk-tag"))

    assert statuses(dee) == ["No recognition wanted", "No recognition wanted"]
    assert statuses(thea) == ["Not thanked yet", "Thanked"]
    assert statuses(vic) == ["Vouchers not given yet"]
    services.payment_create(
        organisation=organisation,
        member=vic,
        time_records=[_time(organisation, vic, 30)],
        method="voucher",
    )
    assert statuses(vic) == ["Vouchers not given yet", "Vouchers waiting for approval"]
    assert statuses(nia) == ["Not chosen yet"]
    assert statuses(pat) == ["Not paid yet", "Not paid yet", "Payment waiting for approval"]
    services.payment_approve(payment=payment, approver=members["admin"].user)
    assert "Payment approved, not paid yet" in statuses(pat)
    services.payment_mark_paid(payment=payment, paid_on=DAY)
    assert "Paid" in statuses(pat)
