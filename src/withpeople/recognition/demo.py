"""Demo data for recognition: Example Council's policy, time given, preferences of every kind,
payments and expense claims in every status, with tiny receipts, so the finance export has
realistic totals.

Runs after pieces of work (20) and groups (30) and uses their groups, members and activities.
If it finds no group member for the demo partner (those steps not run yet), it adds one to a
standing group of its own, so the partner always has a "Your time and payments" page to see.
Running it again replaces this step's own data.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from withpeople.core.demo import register_demo_step
from withpeople.domain.ladder import PARTNER_PERSPECTIVES, Perspective
from withpeople.groups.models import Group, GroupKind, GroupMember
from withpeople.organisations.models import Membership, Organisation
from withpeople.recognition import receipts, services
from withpeople.recognition.models import (
    ExpenseCategory,
    ExpenseClaim,
    Payment,
    PaymentMethod,
    Preference,
    RecognitionPolicy,
    RecognitionPreference,
    TimeRecord,
)
from withpeople.works.models import Activity

FALLBACK_GROUP = "Recognition and reward working group"
CATEGORIES = [
    ("Travel", Decimal("30.00"), True),
    ("Care cover", Decimal("60.00"), True),
    ("Childcare", Decimal("50.00"), True),
    ("Meals", Decimal("10.00"), False),
]
PREFERENCES = [Preference.PAYMENT, Preference.VOUCHERS, Preference.THANKS, Preference.DECLINE]
FALLBACK_PEOPLE = [
    ("Jordan", Perspective.CARER),
    ("Morgan", Perspective.LIVED_EXPERIENCE),
    ("Riley", Perspective.LIVED_EXPERIENCE),
]


def _clear(organisation: Organisation) -> None:
    # Deleting a claim deletes its receipt file too (see models.delete_receipt_file).
    ExpenseClaim.objects.for_organisation(organisation).delete()
    TimeRecord.objects.for_organisation(organisation).delete()
    Payment.objects.for_organisation(organisation).delete()
    RecognitionPreference.objects.for_organisation(organisation).delete()
    ExpenseCategory.objects.for_organisation(organisation).delete()
    RecognitionPolicy.objects.filter(organisation=organisation).delete()


def _partners(organisation: Organisation, people: dict) -> list[GroupMember]:
    partner_values = [p.value for p in PARTNER_PERSPECTIVES]
    members = list(
        GroupMember.objects.for_organisation(organisation)
        .filter(perspective__in=partner_values)
        .select_related("group", "membership")
        .order_by("group__name", "name")
    )
    partner_membership = Membership.objects.get(organisation=organisation, user=people["partner"])
    if not any(m.membership_id == partner_membership.pk for m in members):
        group, _ = Group.objects.get_or_create(
            organisation=organisation,
            name=FALLBACK_GROUP,
            defaults={"kind": GroupKind.STANDING, "purpose": "Shapes how people are recognised."},
        )
        members.append(
            GroupMember.objects.get_or_create(
                group=group,
                membership=partner_membership,
                defaults={
                    "name": people["partner"].name,
                    "perspective": partner_membership.perspective,
                },
            )[0]
        )
        for name, perspective in FALLBACK_PEOPLE:
            if len(members) >= 4:
                break
            members.append(
                GroupMember.objects.get_or_create(
                    group=group, name=name, defaults={"perspective": perspective.value}
                )[0]
            )
    # The demo partner first, then a handful of others: enough for every kind of record.
    members.sort(key=lambda m: (m.membership_id != partner_membership.pk, m.group.name, m.name))
    return members[:6]


@register_demo_step("recognition", order=35)
def demo_recognition(organisation: Organisation, people: dict) -> None:
    with transaction.atomic():
        _clear(organisation)
        admin = people["admin"]
        staff = people["staff"]
        services.policy_update(
            organisation=organisation,
            updated_by=admin,
            hourly_rate=Decimal("15.00"),
            half_day_rate=Decimal("45.00"),
            day_rate=Decimal("85.00"),
            voucher_provider="One4all gift cards",
            voucher_value_per_hour=Decimal("10.00"),
            voucher_value_per_session=None,
            benefits_advice_text=(
                "Before you choose, talk to Citizens Advice or our welfare rights team on "
                "01632 960 123: the advice is free and confidential."
            ),
            benefits_advice_url="https://www.citizensadvice.org.uk/benefits/",
        )
        categories = {
            name: services.expense_category_save(
                organisation=organisation,
                name=name,
                limit_per_claim=limit,
                receipt_required=receipt,
            )
            for name, limit, receipt in CATEGORIES
        }
        members = _partners(organisation, people)
        today = timezone.localdate()
        for index, member in enumerate(members):
            choice = PREFERENCES[index % len(PREFERENCES)]
            services.preference_set(
                member=member,
                choice=choice,
                benefits_note_seen=choice in (Preference.PAYMENT, Preference.VOUCHERS),
                payment_details="Paid to the account ending 1234."
                if choice == Preference.PAYMENT
                else "",
                recorded_by=staff,
            )
            activities = list(
                Activity.objects.counted().filter(
                    work__organisation=organisation, participants=member
                )[:3]
            ) or [None]
            records = []
            for step, activity in enumerate(activities):
                records.append(
                    services.time_record_create(
                        organisation=organisation,
                        member=member,
                        activity=activity,
                        date=activity.date if activity else today - datetime.timedelta(days=20),
                        minutes=[150, 240, 360][step % 3],
                        description="" if activity else "Reading the papers for the next meeting",
                        recorded_by=staff,
                    )
                )
            records.append(
                services.time_record_create(
                    organisation=organisation,
                    member=member,
                    date=today - datetime.timedelta(days=6),
                    minutes=90,
                    description="Reading and commenting on the draft strategy",
                    recorded_by=staff,
                )
            )
            if choice in (Preference.PAYMENT, Preference.VOUCHERS):
                method = (
                    PaymentMethod.BANK_TRANSFER
                    if choice == Preference.PAYMENT
                    else PaymentMethod.VOUCHER
                )
                # The older time is paid; the newest is left waiting for a payment.
                payment = services.payment_create(
                    organisation=organisation,
                    member=member,
                    time_records=records[:-1],
                    method=method,
                    date=today - datetime.timedelta(days=15),
                    created_by=staff,
                )
                services.payment_approve(payment=payment, approver=admin)
                services.payment_mark_paid(
                    payment=payment, paid_on=today - datetime.timedelta(days=10)
                )
                due = services.payment_create(
                    organisation=organisation,
                    member=member,
                    time_records=records[-1:],
                    method=method,
                    created_by=staff,
                )
                if index % 2:
                    services.payment_approve(payment=due, approver=admin)
            elif choice == Preference.THANKS:
                for record in records[:-1]:
                    services.time_record_thank(time_record=record, thanked_on=record.date)
        _claims(organisation, members, categories, staff, admin, today)


def _claims(organisation, members, categories, staff, admin, today) -> None:
    claimants = members[:3] or members
    plans = [
        ("Travel", "Bus fare to the workshop and back", "7.40", "due", receipts.TINY_PNG, "png"),
        ("Care cover", "Care cover while at the board meeting", "48.00", "approved", None, ""),
        ("Travel", "Taxi: no accessible bus on the day", "36.50", "paid", receipts.TINY_PDF, "pdf"),
        ("Meals", "Lunch on the all-day event", "8.95", "rejected", None, ""),
        ("Childcare", "Childminder for the evening session", "32.00", "paid", None, ""),
    ]
    for index, (category_name, description, amount, status, content, extension) in enumerate(plans):
        member = claimants[index % len(claimants)]
        category = categories[category_name]
        receipt = None
        if content is not None or category.receipt_required:
            content = content or receipts.TINY_PDF
            extension = extension or "pdf"
            receipt = SimpleUploadedFile(f"receipt.{extension}", content)
        claim = services.expense_claim_create(
            organisation=organisation,
            member=member,
            category=category,
            date=today - datetime.timedelta(days=12 - index),
            description=description,
            amount=Decimal(amount),
            over_limit_reason="No accessible bus ran that day, so a taxi was the only way."
            if Decimal(amount) > (category.limit_per_claim or Decimal("Infinity"))
            else "",
            receipt=receipt,
            claimed_by=staff if member.membership_id is None else member.membership.user,
        )
        if status == "rejected":
            services.expense_claim_reject(
                claim=claim,
                approver=admin,
                reason="Lunch was provided at the event, so meals cannot be claimed for it.",
            )
        elif status in ("approved", "paid"):
            approver = staff if claim.claimed_by_id != staff.pk else admin
            services.expense_claim_approve(claim=claim, approver=approver)
            if status == "paid":
                services.expense_claim_mark_paid(
                    claim=claim, paid_on=today - datetime.timedelta(days=2)
                )
