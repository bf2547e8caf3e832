"""Results and action plans as CSV, Excel (XLSX) and OpenDocument (ODS) spreadsheets.

The results rows are read straight from the suppressed results (``withpeople.results/1``): a
suppressed figure is an empty cell with "not shown" beside it, never a number. Text that a
spreadsheet would run as a formula (starting =, +, - or @) is written with a leading apostrophe,
as OWASP advises against CSV injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from withpeople.domain.mir.results import ANSWERS
from withpeople.improvement.results import CycleResults

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
}

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    name: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


def _safe(value: Cell) -> Cell:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


RESULTS_HEADERS = (
    "level",
    "theme",
    "statement",
    "perspective",
    "wording",
    "shown",
    "answered",
    "positive_percent",
    *ANSWERS,
    "change_percentage_points",
)


def _figures(entry: dict[str, Any]) -> tuple[Cell, ...]:
    if entry["suppressed"]:
        return ("not shown", None, None)
    return ("shown", entry["answered"], entry["positive_percent"])


def results_table(data: CycleResults) -> Table:
    """One row per theme, per I statement and per perspective group of a statement."""
    rows: list[tuple[Cell, ...]] = []
    no_counts = (None,) * len(ANSWERS)
    for theme in data.themes:
        rows.append(
            (
                "theme",
                theme.theme.key,
                None,
                None,
                theme.theme.title,
                *_figures(theme.figures),
                *no_counts,
                theme.change,
            )
        )
        for entry in theme.statements:
            counts = entry.figures.get("counts")
            rows.append(
                ("statement", theme.theme.key, entry.statement.key, None, entry.statement.text)
                + _figures(entry.figures)
                + (tuple(counts[a] for a in ANSWERS) if counts else no_counts)
                + (entry.change,)
            )
            for perspective, group in entry.figures["by_perspective"].items():
                rows.append(
                    (
                        "perspective",
                        theme.theme.key,
                        entry.statement.key,
                        perspective,
                        None,
                        *_figures(group),
                        *no_counts,
                        None,
                    )
                )
    return Table(_("Results"), RESULTS_HEADERS, rows)


ACTIONS_HEADERS = (
    "action",
    "detail",
    "statements",
    "status",
    "explanation",
    "due_on",
    "owners",
    "stories_linked",
    "published",
)


def actions_table(actions: Iterable[Any]) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for action in actions:
        rows.append(
            (
                action.title,
                action.description,
                " ".join(s.key for s in action.statements.all()),
                action.get_status_display(),
                action.explanation,
                action.due_on.isoformat() if action.due_on else None,
                "; ".join(m.user.name for m in action.owners.all()),
                len(action.stories.all()),
                "yes" if action.published else "no",
            )
        )
    return Table(_("Actions"), ACTIONS_HEADERS, rows)


# --- writers -------------------------------------------------------------------------------


def as_csv(tables: Sequence[Table]) -> bytes:
    """CSV holds one table; with two, they follow each other with a blank line between."""
    out = io.StringIO()
    writer = csv.writer(out)
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow(["" if cell is None else _safe(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(tables: Sequence[Table]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=table.name[:31])
        sheet.append(list(table.headers))
        for row in table.rows:
            sheet.append([_safe(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_ods(tables: Sequence[Table]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdsTable
    from odf.table import TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for table in tables:
        sheet = OdsTable(name=table.name)
        for row in [table.headers, *table.rows]:
            ods_row = TableRow()
            for cell in row:
                if cell is None:
                    ods_row.addElement(TableCell())
                elif isinstance(cell, int | float) and not isinstance(cell, bool):
                    ods_cell = TableCell(valuetype="float", value=cell)
                    ods_cell.addElement(P(text=str(cell)))
                    ods_row.addElement(ods_cell)
                else:
                    ods_cell = TableCell(valuetype="string")
                    ods_cell.addElement(P(text=str(_safe(cell))))
                    ods_row.addElement(ods_cell)
            sheet.addElement(ods_row)
        document.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


WRITERS = {"csv": as_csv, "xlsx": as_xlsx, "ods": as_ods}
