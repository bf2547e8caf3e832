"""Reads for recognition, including the functions other apps call.

For other apps (keep these signatures):

* `partner_time_recognised(*, organisation, work=None) -> dict` for the values dashboard.
* `personal_data_for_member(member) -> dict`, JSON-ready, for a person's data download.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from withpeople.domain import values
from withpeople.domain.ladder import PARTNER_PERSPECTIVES
from withpeople.groups.models import GroupMember
from withpeople.organisations.models import Organisation
from withpeople.recognition.models import (
    ExpenseClaim,
    MoneyStatus,
    Payment,
    PaymentMethod,
    Preference,
    RecognitionPreference,
    TimeRecord,
)

PARTNER_VALUES = [p.value for p in PARTNER_PERSPECTIVES]
PAYMENT_METHODS_FOR = {
    Preference.PAYMENT: [PaymentMethod.BANK_TRANSFER, PaymentMethod.OTHER],
    Preference.VOUCHERS: [PaymentMethod.VOUCHER],
}

#: A time record is recognised the way the person chose when: they declined recognition; or
#: they asked for thanks only and were thanked; or they asked for payment (or vouchers) and a
#: payment of that kind for this time has been paid. Time with no preference stated is not.
RECOGNISED = (
    Q(member__recognition_preference__choice=Preference.DECLINE)
    | Q(member__recognition_preference__choice=Preference.THANKS, thanked_on__isnull=False)
    | Q(
        member__recognition_preference__choice=Preference.PAYMENT,
        payment__status=MoneyStatus.PAID,
        payment__method__in=PAYMENT_METHODS_FOR[Preference.PAYMENT],
    )
    | Q(
        member__recognition_preference__choice=Preference.VOUCHERS,
        payment__status=MoneyStatus.PAID,
        payment__method__in=PAYMENT_METHODS_FOR[Preference.VOUCHERS],
    )
)


def partner_time_records(*, organisation: Organisation, work=None) -> QuerySet[TimeRecord]:
    records = TimeRecord.objects.for_organisation(organisation).filter(
        member__perspective__in=PARTNER_VALUES
    )
    if work is not None:
        records = records.filter(
            Q(activity__work=work) | Q(activity__isnull=True, member__group_id=work.group_id)
        )
    return records


def partner_time_recognised(*, organisation: Organisation, work=None) -> dict:
    """The share of partners' recorded time that has been recognised the way they chose.

    Keys: `partner_minutes` (all time recorded for partner group members), `recognised_minutes`
    (of which recognised as they chose: paid, vouchers given or thanked as they chose, or
    declined as they chose) and `percent` (one decimal place, None when no time is recorded).
    With `work`, only time for that piece of work's activities, or for its group outside
    activities.
    """
    records = partner_time_records(organisation=organisation, work=work)
    partner_minutes = records.aggregate(total=Sum("minutes"))["total"] or 0
    recognised_minutes = records.filter(RECOGNISED).aggregate(total=Sum("minutes"))["total"] or 0
    return {
        "partner_minutes": int(partner_minutes),
        "recognised_minutes": int(recognised_minutes),
        # The same rule (halves rounded up) as every other share, e.g. on the values dashboard.
        "percent": values.percent(recognised_minutes, partner_minutes),
    }


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def personal_data_for_member(member: GroupMember) -> dict:
    """Everything recognition holds about one person, JSON-ready (amounts as strings)."""
    preference = RecognitionPreference.objects.filter(member=member).first()
    time_records = TimeRecord.objects.filter(member=member).select_related("activity")
    payments = Payment.objects.filter(member=member)
    claims = ExpenseClaim.objects.filter(member=member).select_related("category")
    return {
        "preference": None
        if preference is None
        else {
            "choice": preference.choice,
            "choice_label": str(preference.get_choice_display()),
            "payment_details": preference.payment_details,
            "notes": preference.notes,
            "benefits_note_seen": preference.benefits_note_seen,
            "updated_at": preference.updated_at.isoformat(),
        },
        "time_records": [
            {
                "date": _date(record.date),
                "minutes": record.minutes,
                "activity": str(record.activity) if record.activity else None,
                "description": record.description,
                "thanked_on": _date(record.thanked_on),
                "payment_id": record.payment_id,
            }
            for record in time_records
        ],
        "payments": [
            {
                "id": payment.pk,
                "date": _date(payment.date),
                "amount": _money(payment.amount),
                "method": payment.method,
                "status": payment.status,
                "paid_on": _date(payment.paid_on),
                "notes": payment.notes,
                "over_policy_reason": payment.over_policy_reason,
            }
            for payment in payments
        ],
        "expense_claims": [
            {
                "id": claim.pk,
                "date": _date(claim.date),
                "category": claim.category.name,
                "description": claim.description,
                "amount": _money(claim.amount),
                "over_limit_reason": claim.over_limit_reason,
                "status": claim.status,
                "rejected_reason": claim.rejected_reason,
                "paid_on": _date(claim.paid_on),
                "has_receipt": bool(claim.receipt),
            }
            for claim in claims
        ],
    }


KIND_PAYMENT = _("Payment for time")
KIND_CLAIM = _("Expense claim")


@dataclass(frozen=True)
class FinanceRow:
    person: str
    #: Who the row is for, uniquely: two people with the same name are never added together.
    reference: str
    group: str
    kind: str
    category: str
    date: datetime.date
    amount: Decimal
    status: str


def finance_rows(
    *, organisation: Organisation, start: datetime.date, end: datetime.date
) -> list[FinanceRow]:
    """Payments and claims dated within [start, end], rejected claims left out, by person."""
    rows: list[FinanceRow] = []
    payments = (
        Payment.objects.for_organisation(organisation)
        .filter(date__range=(start, end))
        .select_related("member__group")
    )
    for payment in payments:
        rows.append(
            FinanceRow(
                person=payment.member.name,
                reference=member_reference(payment.member_id),
                group=payment.member.group.name,
                kind=str(KIND_PAYMENT),
                category=str(payment.get_method_display()),
                date=payment.date,
                amount=payment.amount,
                status=str(payment.get_status_display()),
            )
        )
    claims = (
        ExpenseClaim.objects.for_organisation(organisation)
        .filter(date__range=(start, end))
        .exclude(status=MoneyStatus.REJECTED)
        .select_related("member__group", "category")
    )
    for claim in claims:
        rows.append(
            FinanceRow(
                person=claim.member.name,
                reference=member_reference(claim.member_id),
                group=claim.member.group.name,
                kind=str(KIND_CLAIM),
                category=claim.category.name,
                date=claim.date,
                amount=claim.amount,
                status=str(claim.get_status_display()),
            )
        )
    rows.sort(
        key=lambda row: (row.person.lower(), row.group.lower(), row.reference, row.date, row.kind)
    )
    return rows


def member_reference(member_id: int) -> str:
    """The reference of a person in one group, as finance sees it: "P" and their number."""
    return f"P{member_id}"
