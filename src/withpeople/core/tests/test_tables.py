"""One way to write a table download: CSV streamed, Excel and OpenDocument, formulas neutralised."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse

from withpeople.core.tables import FORMATS, Table, as_bytes, neutralise, table_response
from withpeople.testing.downloads import READERS, download_content

#: Text a spreadsheet would run as a formula, or that starts one (OWASP CSV injection).
DANGEROUS = [
    '=HYPERLINK("http://example.com","click")',
    "+SUM(1,1)",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]


def _table(rows) -> Table:
    return Table(title="Test: [sheet]", headers=["text", "number"], rows=rows, filename="test")


@pytest.mark.parametrize("fmt", FORMATS)
def test_formula_text_is_written_as_text_in_every_format(fmt):
    content = as_bytes(_table([(text, 1) for text in DANGEROUS]), fmt)
    rows = READERS[fmt](content)
    assert rows[0] == ["text", "number"]
    cells = [row[0] for row in rows[1:]]
    # XML stores a carriage return as a new line; the apostrophe in front is what matters.
    assert [str(cell).replace("\n", "\r") for cell in cells] == ["'" + t for t in DANGEROUS]
    assert not any(str(cell).startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


@pytest.mark.parametrize("fmt", ["xlsx"])
def test_no_excel_cell_is_a_formula(fmt):
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(as_bytes(_table([(t, 1) for t in DANGEROUS]), fmt))).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_numbers_dates_and_empty_cells_are_kept_as_they_are():
    assert neutralise(-3) == -3
    assert neutralise(Decimal("-1.50")) == Decimal("-1.50")
    assert neutralise(None) is None
    rows = [("a", Decimal("-12.50")), ("b", None), ("c", datetime.date(2026, 1, 2))]
    csv_rows = READERS["csv"](as_bytes(_table(rows), "csv"))
    assert csv_rows[1:] == [["a", "-12.50"], ["b", ""], ["c", "2026-01-02"]]
    xlsx_rows = READERS["xlsx"](as_bytes(_table(rows), "xlsx"))
    assert xlsx_rows[1] == ["a", -12.5] and xlsx_rows[2] == ["b", None]
    ods_rows = READERS["ods"](as_bytes(_table(rows), "ods"))
    assert ods_rows[1] == ["a", -12.5] and ods_rows[3] == ["c", "2026-01-02"]


def test_csv_is_streamed_and_reads_its_rows_only_as_it_is_sent():
    read = []

    def rows():
        for number in range(1200):
            read.append(number)
            yield (f"row {number}", number)

    response = table_response(_table(rows()), "csv")
    assert isinstance(response, StreamingHttpResponse)
    assert read == []  # nothing is read before the body is sent
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert first.startswith("\ufefftext,number\r\n".encode())
    assert 0 < len(read) < 1200  # one chunk at a time
    rest = b"".join(chunks)
    assert len(read) == 1200
    assert (first + rest).count(b"\r\n") == 1201


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_has_its_type_and_an_attachment_name(fmt):
    response = table_response(_table([("a", 1)]), fmt)
    content_type, extension, _label = FORMATS[fmt]
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="test.{extension}"'
    assert READERS[fmt](download_content(response))[1][0] == "a"
