"""Results pages and exports show only suppressed figures, and the same ones everywhere."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from withpeople.audit.kinds import AuditEventKind
from withpeople.domain.mir.results import ANSWERS, assert_no_small_numbers
from withpeople.domain.suppression import FEEDBACK_THRESHOLD
from withpeople.feedback.models import CycleStatus
from withpeople.improvement.results import cycle_results
from withpeople.improvement.tests.helpers import add_responses, make_cycle
from withpeople.testing.downloads import download_content

pytestmark = pytest.mark.django_db

SUPPRESSED = "Fewer than 5 answers — not shown to protect anonymity"


@pytest.fixture
def cycle(organisation):
    cycle = make_cycle(organisation, "spring-2026", status=CycleStatus.OPEN)
    # wi-i1 has 8 answers (6 lived experience, 2 carers: carers are hidden, so the smallest
    # other group is too); wi-i2 only 3, so it is suppressed. 7 of 8 positive: 87.5%.
    add_responses(
        cycle,
        {"wi-i1": "always", "wi-i2": "mostly"},
        count=3,
        perspective="lived_experience",
        story=("wellbeing-and-independence", "I choose my own days now."),
    )
    add_responses(cycle, {"wi-i1": "mostly"}, count=3, perspective="lived_experience")
    add_responses(cycle, {"wi-i1": "always"}, count=1, perspective="carer")
    add_responses(cycle, {"wi-i1": "never"}, count=1, perspective="carer")
    return cycle


def _numbers_in(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def test_results_are_suppressed_as_specified(cycle):
    results = cycle_results(cycle)
    assert_no_small_numbers(results)
    by_key = {entry["key"]: entry for entry in results["statements"]}
    assert by_key["wi-i1"]["answered"] == 8
    assert by_key["wi-i1"]["positive_percent"] == 87.5
    assert by_key["wi-i2"]["suppressed"] is True


def test_results_page_shows_figures_and_hides_small_numbers(client_for, members, cycle):
    response = client_for(members["partner"]).get(f"/o/example/cycles/{cycle.slug}/results/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "87.5%" in html
    assert SUPPRESSED in html
    # The chart is an image named by its caption, and the same figure is in a table.
    assert re.search(
        r'<div class="wp-bar-chart" role="img" '
        r'aria-labelledby="chart-wellbeing-and-independence-caption"',
        html,
    )
    assert 'id="chart-wellbeing-and-independence-caption"' in html
    assert "I choose my own days now." in html
    # wi-i2 had three answers: its row in the table says so in words, with no figure.
    row = re.search(
        r'<tr class="govuk-table__row">\s*<th scope="row"[^>]*>'
        r"2\. The people who support me.*?</tr>",
        html,
        re.S,
    ).group(0)
    assert SUPPRESSED in row
    assert _numbers_in(re.sub(r"<[^>]+>", "", row)) == {"2", "5"}  # "2." and "Fewer than 5"


def test_results_page_with_almost_no_feedback_shows_no_numbers(client_for, members, organisation):
    cycle = make_cycle(organisation, "tiny")
    add_responses(cycle, {"wi-i1": "always", "ia-i1": "never"}, count=FEEDBACK_THRESHOLD - 1)
    response = client_for(members["staff"]).get(f"/o/example/cycles/{cycle.slug}/results/")
    html = response.content.decode()
    tables = re.findall(r"<table.*?</table>", html, flags=re.S)
    assert tables
    for table in tables:
        cells = re.findall(r'<td class="govuk-table__cell[^"]*"[^>]*>(.*?)</td>', table, re.S)
        for cell in cells:
            assert not _numbers_in(re.sub(r"<[^>]+>", "", cell).replace("Fewer than 5", "")), cell
    main = re.sub(r"Fewer than 5 answers[^<]*", "", html.split('id="main-content"')[1])
    main = main.replace('width="100%"', "")  # a bar's own width, were one drawn
    assert not re.search(r"\d%", main), "a percentage is shown"
    assert "<rect" not in main, "a bar is drawn"


def test_change_since_the_previous_cycle_in_percentage_points(client_for, members, organisation):
    autumn = make_cycle(
        organisation, "autumn-2025", starts_on=date(2025, 9, 1), status=CycleStatus.CLOSED
    )
    add_responses(autumn, {"wi-i1": "always"}, count=5)
    add_responses(autumn, {"wi-i1": "never"}, count=5)
    spring = make_cycle(
        organisation,
        "spring-2026",
        framework=autumn.framework,
        starts_on=date(2026, 3, 1),
        status=CycleStatus.OPEN,
    )
    add_responses(spring, {"wi-i1": "always"}, count=8)
    add_responses(spring, {"wi-i1": "never"}, count=2)
    html = client_for(members["staff"]).get("/o/example/cycles/spring-2026/results/").content
    text = html.decode()
    assert "Change since Autumn 2025" in text
    assert "Up 30 percentage points" in text


def _parse_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _parse_xlsx(content: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _parse_ods(content: bytes) -> list[dict[str, object]]:
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow

    document = load(io.BytesIO(content))
    sheet = document.spreadsheet.getElementsByType(Table)[0]
    rows = []
    for row in sheet.getElementsByType(TableRow):
        values = []
        for cell in row.getElementsByType(TableCell):
            if cell.getAttribute("valuetype") == "float":
                values.append(float(cell.getAttribute("value")))
            else:
                text = str(cell)
                values.append(text or None)
        rows.append(values)
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def _number(value) -> float | None:
    if value in (None, ""):
        return None
    return float(value)


@pytest.mark.parametrize(
    ("fmt", "parse"), [("csv", _parse_csv), ("xlsx", _parse_xlsx), ("ods", _parse_ods)]
)
def test_results_exports_parse_back_to_the_suppressed_results(
    client_for, members, cycle, fmt, parse
):
    response = client_for(members["partner"]).get(
        f"/o/example/cycles/{cycle.slug}/download/results.{fmt}"
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = parse(download_content(response))
    results = cycle_results(cycle)
    statements = {entry["key"]: entry for entry in results["statements"]}
    themes = {entry["key"]: entry for entry in results["themes"]}
    seen_statements = set()
    for row in rows:
        answered = _number(row["answered"])
        # Nothing shown in an export rests on fewer answers than the threshold.
        if answered is not None:
            assert answered >= FEEDBACK_THRESHOLD, row
            assert row["shown"] == "shown"
        else:
            assert row["shown"] == "not shown"
            assert _number(row["positive_percent"]) is None
            assert all(_number(row[answer]) is None for answer in ANSWERS), row
        if row["level"] == "statement":
            entry = statements[row["statement"]]
            seen_statements.add(row["statement"])
            assert _number(row["answered"]) == entry["answered"]
            assert _number(row["positive_percent"]) == entry["positive_percent"]
            if entry["counts"]:
                assert [_number(row[a]) for a in ANSWERS] == [entry["counts"][a] for a in ANSWERS]
        elif row["level"] == "theme":
            assert _number(row["answered"]) == themes[row["theme"]]["answered"]
        elif row["level"] == "perspective":
            group = statements[row["statement"]]["by_perspective"][row["perspective"]]
            assert _number(row["answered"]) == group["answered"]
    assert seen_statements == set(statements)
    # The totals agree: the theme's answers are the sum of its shown statements' answers.
    wi_rows = [
        r for r in rows if r["level"] == "statement" and r["theme"] == "wellbeing-and-independence"
    ]
    assert sum(_number(r["answered"]) or 0 for r in wi_rows) == 8


def test_exports_are_audited_and_unknown_formats_are_404(client_for, members, cycle):
    from withpeople.audit.models import AuditEvent

    client = client_for(members["staff"])
    assert client.get(f"/o/example/cycles/{cycle.slug}/download/results.pdf").status_code == 404
    assert client.get(f"/o/example/cycles/{cycle.slug}/download/people.csv").status_code == 404
    assert client.get(f"/o/example/cycles/{cycle.slug}/download/actions.csv").status_code == 200
    assert AuditEvent.objects.filter(action=AuditEventKind.EXPORTED_ACTIONS).count() == 1


def test_printable_report_links_the_print_stylesheet(client_for, members, cycle):
    html = (
        client_for(members["partner"])
        .get(f"/o/example/cycles/{cycle.slug}/results/report/")
        .content.decode()
    )
    assert 'href="/static/improvement/print.css" media="print"' in html
    assert "87.5%" in html
    assert SUPPRESSED in html


def test_a_cycle_of_another_organisation_is_404_under_your_own_slug(client_for, members, outsider):
    elsewhere = make_cycle(outsider.organisation, "elsewhere-cycle")
    client = client_for(members["admin"])
    for path in ("results/", "self-assessment/", "actions/", "you-said-we-did/preview/"):
        assert client.get(f"/o/example/cycles/{elsewhere.slug}/{path}").status_code == 404


def test_results_page_query_count_does_not_grow_with_feedback(
    client_for, members, cycle, django_assert_max_num_queries
):
    client = client_for(members["staff"])
    url = f"/o/example/cycles/{cycle.slug}/results/"
    with django_assert_max_num_queries(25) as before:
        client.get(url)
    add_responses(
        cycle,
        {"wi-i1": "always", "ia-i1": "mostly", "wf-i1": "never"},
        count=20,
        perspective="carer",
        story=("workforce", "Staff listen."),
    )
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert "Staff listen." in client.get(url).content.decode()


def test_results_and_action_plan_are_offered_in_three_formats(client_for, members, cycle):
    from bs4 import BeautifulSoup

    html = client_for(members["partner"]).get(f"/o/example/cycles/{cycle.slug}/results/").content
    soup = BeautifulSoup(html, "html.parser")
    for what, hidden in (("results", "of the results"), ("actions", "of the action plan")):
        links = soup.select(f'a[download][href*="/download/{what}."]')
        assert [link["href"].rsplit(".", 1)[1] for link in links] == ["csv", "xlsx", "ods"]
        assert all(
            link.select_one(".govuk-visually-hidden").text.strip() == hidden for link in links
        )


@pytest.mark.parametrize(("fmt", "parse"), [("xlsx", _parse_xlsx), ("ods", _parse_ods)])
def test_a_kept_results_file_changes_at_once_with_a_new_step(
    client_for, members, cycle, fmt, parse
):
    from withpeople.audit.models import AuditEvent

    client = client_for(members["staff"])
    url = f"/o/example/cycles/{cycle.slug}/download/results.{fmt}"

    def wi_i1() -> dict:
        rows = parse(download_content(client.get(url)))
        return next(r for r in rows if r["level"] == "statement" and r["statement"] == "wi-i1")

    first = wi_i1()
    assert _number(first["answered"]) == 8
    # Sent again from the kept file, and still audited each time.
    assert wi_i1() == first
    assert AuditEvent.objects.filter(action=AuditEventKind.EXPORTED_RESULTS).count() == 2
    # Six more answers publish a new step: the next download shows them.
    add_responses(cycle, {"wi-i1": "never"}, count=6)
    assert _number(wi_i1()["answered"]) == 14
    # A reworded statement shows at once too.
    from withpeople.improvement.tests.helpers import statement

    reworded = statement(cycle, "wi-i1")
    reworded.text = "I have a say in my own days, reworded"
    reworded.save()
    assert wi_i1()["wording"] == "I have a say in my own days, reworded"
