"""The work's page, the values dashboards and the finance figures read stored assessments and
counts made in the database, and show exactly what they showed when computed row by row in
Python (`reference`), on the demo and on generated data, on either database; their queries do
not grow with the rows."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from withpeople.core.tables import as_bytes
from withpeople.diversity import selectors as diversity_selectors
from withpeople.groups.tests.scale import add_rows, assert_queries_do_not_grow, base
from withpeople.organisations.models import Organisation
from withpeople.recognition import exports
from withpeople.recognition.selectors import finance_rows, finance_totals
from withpeople.scale.tests import reference
from withpeople.values import selectors as values_selectors
from withpeople.works.selectors import stored_assessment_with_reasons
from withpeople.works.views import _aspect_rows

pytestmark = pytest.mark.django_db

START, END = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def assert_figures_as_computed_row_by_row() -> int:
    """Every organisation's and piece of work's figures equal the reference ones. How many
    pieces of work were compared."""
    compared = 0
    for organisation in Organisation.objects.order_by("pk"):
        assert values_selectors.organisation_dashboard(
            organisation
        ) == reference.organisation_dashboard(organisation), organisation.slug
        assert diversity_selectors._answer_counts(
            organisation, list(organisation.diversity_categories.all())
        ) == reference.diversity_answer_counts(organisation)
        for work in organisation.works.order_by("pk"):
            assert values_selectors.work_dashboard(work) == reference.work_dashboard(work), work
            stored = stored_assessment_with_reasons(work)
            assert stored is not None
            assert _aspect_rows(*stored) == _aspect_rows(*reference.work_page(work)), work
            assert stored[1]["work"]["flags"] == (reference.work_page(work)[1]["work"]["flags"])
            compared += 1
        rows = reference.finance_rows(organisation=organisation, start=START, end=END)
        assert finance_rows(organisation=organisation, start=START, end=END) == rows
        assert finance_totals(
            organisation=organisation, start=START, end=END
        ) == reference.finance_totals(rows)
        exported = exports.finance_export(
            organisation=organisation, actor=None, start=START, end=END, fmt="csv"
        )
        assert as_bytes(exported, "csv") == as_bytes(
            exports.finance_table(rows, START, END, filename=exported.filename), "csv"
        )
    return compared


def test_the_demo_shows_the_same_figures():
    call_command("demo", "--force", "--password", "demo-pass-123", verbosity=0)
    assert assert_figures_as_computed_row_by_row() >= 4


def test_generated_data_shows_the_same_figures():
    call_command(
        "scale-data",
        "--organisations=3",
        "--works=12",
        "--members=30",
        "--answers=600",
        stdout=io.StringIO(),
    )
    assert assert_figures_as_computed_row_by_row() >= 12


def test_the_pages_run_no_more_queries_as_rows_grow(
    organisation, members, client_for, django_assert_max_num_queries
):
    start = base(organisation, members)
    client = client_for(members["admin"])
    slug = organisation.slug
    urls = [
        reverse("works:detail", kwargs={"org_slug": slug, "pk": start.work.pk}),
        reverse("values:values", kwargs={"org_slug": slug}),
        reverse("values:work-values", kwargs={"org_slug": slug, "work_id": start.work.pk}),
    ]
    for url in urls:
        assert_queries_do_not_grow(
            client,
            url,
            lambda: add_rows(organisation, members, start, count=4),
            django_assert_max_num_queries,
        )


def test_the_finance_export_runs_no_more_queries_as_rows_grow(organisation, members, client_for):
    start = base(organisation, members)
    client = client_for(members["admin"])
    url = (
        reverse("recognition:export", kwargs={"org_slug": organisation.slug})
        + f"?start={START}&end={END}&file_format=csv"
    )

    def queries_and_lines() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            text = b"".join(response.streaming_content).decode("utf-8-sig")
        return len(captured.captured_queries), len(text.splitlines())

    queries_and_lines()  # the session is set up
    few, lines = queries_and_lines()
    add_rows(organisation, members, start, count=6)
    many, more_lines = queries_and_lines()
    assert more_lines > lines + 40
    assert many <= few
