"""Reading table downloads back in tests, each format with a real reader."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponseBase


def download_content(response: HttpResponseBase) -> bytes:
    """The whole body of a download, streamed (CSV) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_ods(content: bytes) -> list[list[object]]:
    """The first sheet, read with odfpy: a number is a float, an empty cell None."""
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow

    sheet = load(io.BytesIO(content)).spreadsheet.getElementsByType(Table)[0]
    rows = []
    for row in sheet.getElementsByType(TableRow):
        values: list[object] = []
        for cell in row.getElementsByType(TableCell):
            kind = cell.getAttribute("valuetype")
            if kind == "float":
                values.append(float(cell.getAttribute("value")))
            elif kind == "date":
                values.append(cell.getAttribute("datevalue"))
            else:
                values.append(str(cell) or None)
        rows.append(values)
    return rows


READERS = {"csv": read_csv, "xlsx": read_xlsx, "ods": read_ods}


def read_download(response: HttpResponseBase, fmt: str) -> list[list[object]]:
    """The rows of a table download, its header first."""
    return READERS[fmt](download_content(response))
