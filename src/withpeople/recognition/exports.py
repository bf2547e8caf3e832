"""The finance export: payments and expense claims for a period, as CSV, Excel and OpenDocument.

One table: a row per payment or claim, then a total row per person, then the total for the
period. A person is their reference (one person in one group), not their name: two people with
the same name have a total each. Amounts are Decimals throughout, summed exactly
(`withpeople.domain.money.total`); in the CSV they are written as plain numbers with two
decimal places ("12.50"), in the spreadsheets as numbers. Writing the files, and neutralising
text a spreadsheet would run as a formula, is `withpeople.core.tables`' job.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from withpeople.accounts.models import User
from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.core.tables import Cell, Table
from withpeople.domain import money
from withpeople.organisations.models import Organisation
from withpeople.recognition.selectors import FinanceRow, finance_rows_iter, finance_totals

#: Where the date and the amount are in each line of the table, counting from 0.
DATE_COLUMN = 5
AMOUNT_COLUMN = 6


def header() -> list[str]:
    return [
        _("Person"),
        _("Reference"),
        _("Group"),
        _("Kind"),
        _("Category"),
        _("Date"),
        _("Amount (£)"),
        _("Status"),
    ]


def _lines(
    rows: Sequence[FinanceRow], start: datetime.date, end: datetime.date
) -> Iterator[list[Cell]]:
    for row in rows:
        yield [
            row.person,
            row.reference,
            row.group,
            row.kind,
            row.category,
            row.date,
            row.amount,
            row.status,
        ]
    per_person = money.totals_by((row.reference, row.amount) for row in rows)
    first_row: dict[str, FinanceRow] = {}
    for row in rows:
        first_row.setdefault(row.reference, row)
    for reference, amount in per_person.items():
        row = first_row[reference]
        yield [row.person, reference, row.group, _("Total for person"), "", "", amount, ""]
    period = _("Total for %(start)s to %(end)s") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    yield ["", "", "", period, "", "", money.total(row.amount for row in rows), ""]


def finance_table(
    rows: Sequence[FinanceRow], start: datetime.date, end: datetime.date, *, filename: str
) -> Table:
    """The export as a table: one row per item, totals per person, the period's total."""
    return Table(
        title=_("Finance"), headers=header(), rows=list(_lines(rows, start, end)), filename=filename
    )


def _streamed_lines(
    rows: Iterator[FinanceRow], totals: dict, start: datetime.date, end: datetime.date
) -> Iterator[list[Cell]]:
    """As `_lines`, with the items read as they come and the totals summed by the database."""
    first_row: dict[str, FinanceRow] = {}
    for row in rows:
        first_row.setdefault(row.reference, row)
        yield [
            row.person,
            row.reference,
            row.group,
            row.kind,
            row.category,
            row.date,
            row.amount,
            row.status,
        ]
    total_for_person = _("Total for person")  # once, not once a person
    for reference, row in first_row.items():
        amount = totals["per_person"][reference]
        yield [row.person, reference, row.group, total_for_person, "", "", amount, ""]
    period = _("Total for %(start)s to %(end)s") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    yield ["", "", "", period, "", "", totals["total"], ""]


@transaction.atomic
def finance_export(
    *,
    organisation: Organisation,
    actor: User | None,
    start: datetime.date,
    end: datetime.date,
    fmt: str,
) -> Table:
    """The finance table for a period, to download; the download is audited.

    The rows are read as the file is written (a CSV streams), and the totals per person and for
    the period are summed by the database: the same figures as `finance_table` adds up.
    """
    totals = finance_totals(organisation=organisation, start=start, end=end)
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEventKind.EXPORTED_FINANCE,
        detail=f"{fmt} {start.isoformat()} to {end.isoformat()}, {totals['rows']} rows",
    )
    filename = f"finance-{organisation.slug}-{start.isoformat()}-{end.isoformat()}"
    rows = finance_rows_iter(organisation=organisation, start=start, end=end)
    return Table(
        title=_("Finance"),
        headers=header(),
        rows=_streamed_lines(rows, totals, start, end),
        filename=filename,
    )
