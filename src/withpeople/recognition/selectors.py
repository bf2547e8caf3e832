"""Reads for recognition, including the functions other apps call.

For other apps (keep these signatures):

* `partner_time_recognised(*, organisation, work=None) -> dict` for the values dashboard.
* `personal_data_for_member(member) -> dict`, JSON-ready, for a person's data download.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Lower
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


PENNY = Decimal("0.01")


def _finance_items(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> tuple[QuerySet, QuerySet]:
    """Payments, and claims not rejected, dated within [start, end]."""
    payments = Payment.objects.for_organisation(organisation).filter(date__range=(start, end))
    claims = (
        ExpenseClaim.objects.for_organisation(organisation)
        .filter(date__range=(start, end))
        .exclude(status=MoneyStatus.REJECTED)
    )
    return payments, claims


#: The columns of a finance row as the database gives them, payments and claims alike. A claim's
#: `kind_order` is 0 and a payment's 1, so that on one day a person's claims come first.
_FINANCE_COLUMNS = (
    "sort_person",
    "sort_group",
    "member_id",
    "date",
    "kind_order",
    "person",
    "group",
    "category_text",
    "amount",
    "status",
)


def finance_rows_iter(
    *, organisation: Organisation, start: datetime.date, end: datetime.date
) -> Iterator[FinanceRow]:
    """Payments and claims dated within [start, end], rejected claims left out, by person (name,
    then group, then reference number), then date, claims before payments: sorted in the
    database and read a chunk at a time, so a long period keeps memory flat."""
    payments, claims = _finance_items(organisation, start, end)

    def columns(items: QuerySet, kind_order: int, category: Any) -> QuerySet:
        return (
            items.order_by()
            .annotate(
                sort_person=Lower("member__name"),
                sort_group=Lower("member__group__name"),
                kind_order=Value(kind_order, output_field=IntegerField()),
                person=F("member__name"),
                group=F("member__group__name"),
                category_text=category,
            )
            .values_list(*_FINANCE_COLUMNS)
        )

    # Labels are translated once for the whole file, not once a row: a row then costs a tuple
    # read, two look-ups and a Decimal rounding.
    method_label = {value: str(label) for value, label in PaymentMethod.choices}
    status_label = {value: str(label) for value, label in MoneyStatus.choices}
    both = (
        columns(claims, 0, F("category__name"))
        .union(columns(payments, 1, F("method")), all=True)
        .order_by("sort_person", "sort_group", "member_id", "date", "kind_order")
    )
    kinds = {0: str(KIND_CLAIM), 1: str(KIND_PAYMENT)}
    for (
        _p,
        _g,
        member_id,
        date,
        kind_order,
        person,
        group,
        category,
        amount,
        status,
    ) in both.iterator(chunk_size=2000):
        yield FinanceRow(
            person=person,
            reference=member_reference(member_id),
            group=group,
            kind=kinds[kind_order],
            category=method_label.get(category, category) if kind_order else category,
            date=date,
            amount=Decimal(amount).quantize(PENNY),
            status=status_label.get(status, status),
        )


def finance_rows(
    *, organisation: Organisation, start: datetime.date, end: datetime.date
) -> list[FinanceRow]:
    """`finance_rows_iter` as a list."""
    return list(finance_rows_iter(organisation=organisation, start=start, end=end))


def finance_row_count(
    *, organisation: Organisation, start: datetime.date, end: datetime.date
) -> int:
    """How many payments and claims the finance export of the period lists."""
    return sum(items.count() for items in _finance_items(organisation, start, end))


def finance_totals(
    *, organisation: Organisation, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """The totals of the finance export, summed in the database: `per_person` (reference ->
    amount), `total` and `rows` (how many items). A row per person, whatever the number of
    payments and claims."""
    per_person: dict[str, Decimal] = {}
    rows = 0
    for items in _finance_items(organisation, start, end):
        for member_id, amount, count in (
            items.values("member_id")
            .annotate(
                amount=Sum("amount", output_field=DecimalField(max_digits=20, decimal_places=2)),
                count=Count("pk"),
            )
            .values_list("member_id", "amount", "count")
        ):
            reference = member_reference(member_id)
            # SQLite sums as floating point: back to pence (totals stay far within its 15 digits).
            amount = Decimal(amount).quantize(PENNY)
            per_person[reference] = per_person.get(reference, Decimal("0.00")) + amount
            rows += count
    return {
        "per_person": per_person,
        "total": sum(per_person.values(), Decimal("0.00")),
        "rows": rows,
    }


def member_reference(member_id: int) -> str:
    """The reference of a person in one group, as finance sees it: "P" and their number."""
    return f"P{member_id}"
