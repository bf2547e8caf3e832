"""No figure resting on too few answers appears anywhere results are shown, from the same data.

One review cycle, with answers chosen so that each hidden figure is a number no shown figure
is: "I have a life I value" (wi-i1) is answered by 16 people, 7 with lived experience (57.1%
always or mostly, shown), 3 carers (33.3%, hidden: fewer than 5) and 6 managers (16.7%, hidden
by the secondary rule: the smallest other group, or the carers' figure could be worked out from
the total). wi-i2 is answered by only 4 people (25%, hidden). The theme pools 20 answers (35%).

Every page, export, the command line and the API are read back and checked for the hidden
figures (their counts and percentages) and for the words or nulls that stand in for them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from withpeople.testing.downloads import download_content

pytestmark = pytest.mark.django_db

SUPPRESSED = "not shown to protect anonymity"
HIDDEN_PERCENTS = ("33.3", "16.7", "25.0")
HIDDEN_HTML = ("33.3%", "16.7%", "25%", "33 out of every", "17 out of every", "25 out of every")


@pytest.fixture
def cycle(organisation):
    from withpeople.feedback.models import Statement
    from withpeople.improvement.models import Action, Publication
    from withpeople.improvement.tests.helpers import add_responses, make_cycle

    cycle = make_cycle(organisation, "spring-2026")
    lived = {"perspective": "lived_experience"}
    add_responses(cycle, {"wi-i1": "always", "wi-i2": "always"}, count=1, **lived)
    add_responses(cycle, {"wi-i1": "always", "wi-i2": "sometimes"}, count=3, **lived)
    add_responses(cycle, {"wi-i1": "never"}, count=3, **lived)
    add_responses(cycle, {"wi-i1": "mostly"}, count=1, perspective="carer")
    add_responses(cycle, {"wi-i1": "never"}, count=2, perspective="carer")
    add_responses(cycle, {"wi-i1": "always"}, count=1, perspective="manager")
    add_responses(cycle, {"wi-i1": "rarely"}, count=5, perspective="manager")
    action = Action.objects.create(cycle=cycle, title="Ask again", published=True)
    action.statements.set(
        Statement.objects.filter(theme__framework=cycle.framework, key__in=["wi-i1", "wi-i2"])
    )
    Publication.objects.create(cycle=cycle)
    return cycle


@dataclass
class Seen:
    """What one output shows: its text, and its figures when it is data rather than a page."""

    text: str
    #: {(statement, perspective or None): (answered, positive_percent)}, None when hidden.
    figures: dict[tuple[str, str | None], tuple[float, float] | None] | None = None
    #: Text each output must show: a shown figure, and the words for a hidden one.
    expected: tuple[str, ...] = ()
    #: Parts of a page that name a hidden figure: the only digits they may hold.
    parts: dict[str, set[str]] = field(default_factory=dict)


def _page(ctx, path: str, *, member: str | None = "partner") -> str:
    client = ctx["client_for"](ctx["members"][member]) if member else ctx["client"]
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _results_page(ctx) -> Seen:
    html = _page(ctx, "/o/example/cycles/spring-2026/results/")
    soup = BeautifulSoup(html, "html.parser")
    perspectives = {
        row.th.get_text(" ", strip=True): row.get_text(" ", strip=True)
        for row in soup.select("#statement-wi-i1 table")[-1].select("tbody tr")
    }
    return Seen(
        html,
        expected=("37.5%", "57.1%", "35%", SUPPRESSED),
        parts={
            "statement wi-i2": soup.select_one("#statement-wi-i2").get_text(" "),
            "carers on wi-i1": perspectives["Carer"],
            "managers on wi-i1": perspectives["Manager"],
        },
    )


def _report(ctx) -> Seen:
    html = _page(ctx, "/o/example/cycles/spring-2026/results/report/")
    rows = BeautifulSoup(html, "html.parser").select("#theme-wellbeing-and-independence ~ div tr")
    [wi_i2] = [row for row in rows if row.th and row.th.get_text().startswith("2. ")]
    return Seen(html, expected=("37.5%", "35%", SUPPRESSED), parts={"wi-i2": wi_i2.get_text(" ")})


def _action_detail(ctx) -> Seen:
    from withpeople.improvement.models import Action

    pk = Action.objects.get().pk
    html = _page(ctx, f"/o/example/cycles/spring-2026/actions/{pk}/")
    return Seen(html, expected=("37.5% always or mostly, from 16 answers", SUPPRESSED))


def _public(path: str, *, member: str | None = None, expected: tuple[str, ...]):
    def read(ctx) -> Seen:
        return Seen(_page(ctx, path, member=member), expected=expected)

    return read


def _export(fmt: str) -> Callable[[dict], Seen]:
    def read(ctx) -> Seen:
        response = ctx["client_for"](ctx["members"]["partner"]).get(
            f"/o/example/cycles/spring-2026/download/results.{fmt}"
        )
        assert response.status_code == 200
        rows = PARSERS[fmt](download_content(response))
        figures = {}
        for row in rows:
            if row["level"] == "theme":
                continue
            key = (row["statement"], row["perspective"] or None)
            answered, percent = _number(row["answered"]), _number(row["positive_percent"])
            counts = [_number(row[answer]) for answer in ANSWER_COLUMNS]
            if row["shown"] == "not shown":
                assert (answered, percent) == (None, None), row
                assert counts == [None] * len(counts), row
                figures[key] = None
            else:
                figures[key] = (answered, percent)
        text = "\n".join(
            ",".join("" if v is None else str(v) for v in row.values()) for row in rows
        )
        return Seen(text, figures=figures, expected=("not shown", "57.1", "37.5"))

    return read


def _json_figures(results: dict) -> dict:
    figures = {}
    for entry in results["statements"]:
        if entry["suppressed"]:
            assert entry["answered"] is entry["positive_percent"] is entry["counts"] is None
        figures[(entry["key"], None)] = _pair(entry)
        for slug, group in entry["by_perspective"].items():
            figures[(entry["key"], slug)] = _pair(group)
    return figures


def _pair(entry: dict) -> tuple[float, float] | None:
    if entry["suppressed"]:
        assert entry["answered"] is None and entry["positive_percent"] is None, entry
        return None
    return (entry["answered"], entry["positive_percent"])


def _cli_json(ctx) -> Seen:
    out = io.StringIO()
    call_command(
        "mir", "results", "--organisation", "example", "--cycle", "spring-2026", "--json",
        stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    return Seen(text, figures=_json_figures(json.loads(text)), expected=('"suppressed": true',))


def _cli_table(ctx) -> Seen:
    out = io.StringIO()
    call_command(
        "mir", "results", "--organisation", "example", "--cycle", "spring-2026", stdout=out
    )
    text = out.getvalue()
    [wi_i2] = [line for line in text.splitlines() if line.startswith("wi-i2 ")]
    return Seen(text, expected=("37.5", "hidden"), parts={"wi-i2": wi_i2.removeprefix("wi-i2")})


def _api(ctx) -> Seen:
    from withpeople.accounts.services import api_token_create

    _token, raw = api_token_create(user=ctx["members"]["partner"].user, name="test")
    response = ctx["client"].get(
        "/api/v1/organisations/example/cycles/spring-2026/results",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    return Seen(response.content.decode(), figures=_json_figures(response.json()))


def _parse_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _parse_xlsx(content: bytes) -> list[dict]:
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _parse_ods(content: bytes) -> list[dict]:
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow

    sheet = load(io.BytesIO(content)).spreadsheet.getElementsByType(Table)[0]
    rows = []
    for row in sheet.getElementsByType(TableRow):
        rows.append(
            [
                float(cell.getAttribute("value"))
                if cell.getAttribute("valuetype") == "float"
                else (str(cell) or None)
                for cell in row.getElementsByType(TableCell)
            ]
        )
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


PARSERS = {"csv": _parse_csv, "xlsx": _parse_xlsx, "ods": _parse_ods}
ANSWER_COLUMNS = ("always", "mostly", "sometimes", "rarely", "never", "not_applicable")


def _number(value) -> float | None:
    return None if value in (None, "") else float(value)


PUBLIC = "/o/example/cycles/spring-2026/you-said-we-did/"
OUTPUTS: dict[str, Callable[[dict], Seen]] = {
    "results page": _results_page,
    "printable report": _report,
    "action page": _action_detail,
    "You said, we did": _public(PUBLIC, expected=("35% of 20 answers",)),
    "You said, we did in easy read": _public(
        PUBLIC + "easy-read/", expected=("35 out of every 100",)
    ),
    "You said, we did preview": _public(
        PUBLIC + "preview/", member="partner", expected=("35% of 20 answers",)
    ),
    "CSV export": _export("csv"),
    "Excel export": _export("xlsx"),
    "OpenDocument export": _export("ods"),
    "mir results --json": _cli_json,
    "mir results": _cli_table,
    "API": _api,
}

#: What the data outputs must give: the shown figures exactly, and None for each hidden one.
FIGURES = {
    ("wi-i1", None): (16, 37.5),
    ("wi-i1", "lived_experience"): (7, 57.1),
    ("wi-i1", "carer"): None,
    ("wi-i1", "manager"): None,
    ("wi-i2", None): None,
    ("wi-i2", "lived_experience"): None,
}


@pytest.mark.parametrize("output", OUTPUTS)
def test_no_hidden_figure_appears(output, cycle, client, client_for, members):
    seen = OUTPUTS[output]({"client": client, "client_for": client_for, "members": members})
    for hidden in HIDDEN_HTML if seen.figures is None else HIDDEN_PERCENTS:
        assert hidden not in seen.text, f"{output} shows {hidden}"
    for expected in seen.expected:
        assert expected in seen.text, f"{output} does not show {expected!r}"
    for name, text in seen.parts.items():
        # Only the digits of "statement 2" and "fewer than 5" may be there: no count, no share.
        digits = set(re.findall(r"\d+(?:\.\d+)?", text))
        assert digits <= {"2", "5"}, f"{output}: {name} shows {digits}: {text!r}"
        assert re.search(r"not shown|hidden", text), f"{output}: {name} does not say it is hidden"
    if seen.figures is not None:
        shown = {key: seen.figures.get(key, "missing") for key in FIGURES}
        assert shown == FIGURES, output
        assert all(value is None for key, value in seen.figures.items() if key[0] == "wi-i2")
