"""Every table download: one table, offered as CSV, Excel (XLSX) and OpenDocument (ODS).

A `Table` is a title, headers and rows. `table_response(table, fmt)` turns it into the download.

* CSV is streamed: the rows are read and written one at a time (pass a generator over a
  queryset's ``.iterator()``), so a million rows keep the web process's memory flat.
* XLSX and ODS are built whole by tablib, which needs the full sheet in memory to zip it; they
  are for the tables people open in a spreadsheet, not for bulk data.

Text a spreadsheet would run as a formula is neutralised the same way in all three formats: a
cell of text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with
a leading apostrophe, as OWASP advises against CSV injection
(https://owasp.org/www-community/attacks/CSV_Injection). Numbers, dates and empty cells are
written as they are, so a negative amount stays a number. tablib's own ``escape=True`` for XLSX
only drops a leading ``=``, so it is a second guard here, not the first.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from withpeople.core import fragments

Cell = str | int | float | Decimal | datetime.date | None

#: Format slug -> (content type, file extension, label for a link).
FORMATS: dict[str, tuple[str, str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv", _("CSV")),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        _("Excel"),
    ),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods", _("OpenDocument")),
}

#: A spreadsheet of more rows than this is made in the background (`withpeople.packs`): tablib
#: builds it whole in memory. Measured on a shared 2-core machine (the answers of a 50,120-answer
#: cycle): XLSX 5.6 s, about 9,000 rows a second; ODS 20.7 s, about four times slower, so an ODS
#: row counts as four. 20,000 rows is a little over 2 seconds of XLSX.
BACKGROUND_ROWS = 20_000
ROW_COST = {"xlsx": 1, "ods": 4}
#: The formats that are built whole, and so can be made in the background.
BACKGROUND_FORMATS = tuple(ROW_COST)


def made_in_background(fmt: str, rows: int) -> bool:
    """Is a download of `rows` rows in `fmt` too large to make while the page waits?"""
    return fmt in ROW_COST and rows * ROW_COST[fmt] > BACKGROUND_ROWS


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: How many CSV lines are joined into one chunk of the streamed response.
CSV_LINES_PER_CHUNK = 500


@dataclass(frozen=True)
class Table:
    """A table to download.

    ``rows`` may be any iterable, a generator included; it is read once. ``filename`` has no
    extension and must be safe in a header (build it from slugs and ISO dates).
    """

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    filename: str


def neutralise(cell: Cell) -> Cell:
    """The cell, with text that would start a formula written as text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _csv_text(cell: Cell) -> str:
    if type(cell) is str:
        # Most cells: text, written as it is unless a spreadsheet would run it as a formula.
        return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
    cell = neutralise(cell)
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell, "f")
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)


class _Line:
    """A file-like object that hands back what the csv writer writes (Django's streaming CSV)."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(table: Table) -> Iterator[str]:
    """The CSV text, a few hundred lines at a time, with a byte-order mark first so that Excel
    reads UTF-8 (pound signs, accents) correctly."""
    writer = csv.writer(_Line())
    chunk = ["\ufeff", writer.writerow([_csv_text(h) for h in table.headers])]
    starts = FORMULA_STARTS
    for row in table.rows:
        # Plain text, most cells, is written as it is without a call a cell (the CSV's floor is
        # then the csv writer's own few microseconds a row).
        chunk.append(
            writer.writerow(
                [
                    cell if type(cell) is str and not cell.startswith(starts) else _csv_text(cell)
                    for cell in row
                ]
            )
        )
        if len(chunk) >= CSV_LINES_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def _dataset(table: Table):
    import tablib

    dataset = tablib.Dataset(headers=[neutralise(h) for h in table.headers])
    # A sheet name holds at most 31 characters and none of []:*?/\ in Excel.
    dataset.title = "".join(c for c in str(table.title) if c not in "[]:*?/\\")[:31]
    for row in table.rows:
        dataset.append([neutralise(cell) for cell in row])
    return dataset


def as_bytes(table: Table, fmt: str) -> bytes:
    """The whole file, for XLSX and ODS (and CSV, for tests and commands)."""
    if fmt == "csv":
        return "".join(csv_chunks(table)).encode("utf-8")
    if fmt == "xlsx":
        return _dataset(table).export("xlsx", escape=True, column_width="adaptive")
    if fmt == "ods":
        return _dataset(table).export("ods")
    raise ValueError(f"Unknown table format: {fmt}")


def table_response(
    table: Table, fmt: str, *, kept_as: Iterable[Any] | None = None
) -> HttpResponse | StreamingHttpResponse:
    """The download of one table in ``fmt`` (a key of `FORMATS`; check it before calling).

    With ``kept_as`` (everything the table is drawn from, as for `withpeople.core.fragments`),
    an Excel or OpenDocument file is made once and kept under it: for a table that is the same
    for everyone who may download it, such as a cycle's published results. A CSV streams.
    """
    content_type, extension, _label = FORMATS[fmt]
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in csv_chunks(table)), content_type=content_type
        )
    elif kept_as is not None:
        content = fragments.kept(("table", fmt, *kept_as), lambda: as_bytes(table, fmt))
        response = HttpResponse(content, content_type=content_type)
    else:
        response = HttpResponse(as_bytes(table, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{table.filename}.{extension}"'
    # Downloads hold organisation data: never kept by a shared cache or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response


def download_links(url_for: Callable[[str], str]) -> list[dict[str, str]]:
    """The three links for a table's download, for `core/includes/downloads.html`."""
    return [
        {"fmt": fmt, "url": url_for(fmt), "label": str(label)}
        for fmt, (_type, _ext, label) in FORMATS.items()
    ]
