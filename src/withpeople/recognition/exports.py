"""The finance export: payments and expense claims for a period, as CSV and as Excel.

One table: a row per payment or claim, then a total row per person, then the total for the
period. A person is their reference (one person in one group), not their name: two people with
the same name have a total each. Amounts are Decimals throughout, summed exactly
(`withpeople.domain.money.total`); in the CSV they are written as plain numbers with two
decimal places ("12.50"), in Excel as numbers formatted in pounds. Cells of text that a
spreadsheet would run as a formula (starting with =, +, - or @) are written with a leading
apostrophe.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from withpeople.domain import money
from withpeople.recognition.selectors import FinanceRow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Where the date and the amount are in each line of the table, counting from 0.
DATE_COLUMN = 5
AMOUNT_COLUMN = 6


def _safe(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


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


def table(
    rows: Sequence[FinanceRow], start: datetime.date, end: datetime.date
) -> list[list[object]]:
    """The export as a list of rows: header, one row per item, totals per person, total."""
    out: list[list[object]] = [header()]
    for row in rows:
        out.append(
            [
                _safe(row.person),
                row.reference,
                _safe(row.group),
                row.kind,
                _safe(row.category),
                row.date,
                row.amount,
                row.status,
            ]
        )
    per_person = money.totals_by((row.reference, row.amount) for row in rows)
    first_row = {}
    for row in rows:
        first_row.setdefault(row.reference, row)
    for reference, amount in per_person.items():
        row = first_row[reference]
        out.append(
            [
                _safe(row.person),
                reference,
                _safe(row.group),
                _("Total for person"),
                "",
                "",
                amount,
                "",
            ]
        )
    period = _("Total for %(start)s to %(end)s") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    out.append(["", "", "", period, "", "", money.total(row.amount for row in rows), ""])
    return out


def to_csv(rows: Sequence[FinanceRow], start: datetime.date, end: datetime.date) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in table(rows, start, end):
        writer.writerow(
            [
                f"{cell:.2f}"
                if isinstance(cell, Decimal)
                else cell.isoformat()
                if isinstance(cell, datetime.date)
                else cell
                for cell in line
            ]
        )
    # A byte-order mark so Excel opens the pound signs correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[FinanceRow], start: datetime.date, end: datetime.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Finance")[:31]
    lines = table(rows, start, end)
    for index, line in enumerate(lines):
        sheet.append(line)
        row_number = index + 1
        amount_cell = sheet.cell(row=row_number, column=AMOUNT_COLUMN + 1)
        if isinstance(line[AMOUNT_COLUMN], Decimal):
            amount_cell.number_format = "£#,##0.00"
        date_cell = sheet.cell(row=row_number, column=DATE_COLUMN + 1)
        if isinstance(line[DATE_COLUMN], datetime.date):
            date_cell.number_format = "yyyy-mm-dd"
        if index == 0 or index >= len(rows) + 1:
            for cell in sheet[row_number]:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (24, 12, 24, 22, 20, 12, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
