"""The list of pieces of work, the overview and the API read the stored assessments, and the
list pages, filters and sorts in the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from withpeople.accounts.services import api_token_create
from withpeople.works import services
from withpeople.works.list_items import WORKS_PER_PAGE
from withpeople.works.models import Work, WorkAssessment
from withpeople.works.tests.test_pages import _busy_work

pytestmark = pytest.mark.django_db
LIST = "/o/example/works/"


def _titles(body: str) -> list[str]:
    return [
        part.split(">", 1)[1].split("<", 1)[0]
        for part in body.split('<h2 class="govuk-heading-m"><a class="govuk-link" ')[1:]
    ]


def _works(organisation, count: int, **extra) -> list[Work]:
    return [
        services.work_create(
            organisation=organisation, title=f"Work {n:02d}", level="strategic", **extra
        )
        for n in range(count)
    ]


def test_the_list_comes_a_page_at_a_time_with_the_total(client_for, members, organisation):
    _works(organisation, WORKS_PER_PAGE + 2)
    client = client_for(members["partner"])
    body = client.get(LIST).content.decode()
    assert "Showing 1 to 25 of 27 pieces of work" in body
    assert len(_titles(body)) == WORKS_PER_PAGE
    assert _titles(body)[0] == "Work 26"  # newest first
    assert 'class="govuk-pagination"' in body
    body = client.get(LIST + "?page=2").content.decode()
    assert "Showing 26 to 27 of 27 pieces of work" in body
    assert _titles(body) == ["Work 01", "Work 00"]


def test_the_list_filters_by_status_and_sorts(client_for, members, organisation):
    _works(organisation, 2)
    finished = services.work_create(
        organisation=organisation, title="A finished one", level="strategic", status="finished"
    )
    client = client_for(members["partner"])
    body = client.get(LIST + "?status=finished").content.decode()
    assert _titles(body) == [finished.title]
    assert "1 piece of work" in body
    assert _titles(client.get(LIST + "?sort=title").content.decode()) == [
        "A finished one",
        "Work 00",
        "Work 01",
    ]
    assert _titles(client.get(LIST + "?sort=oldest").content.decode())[0] == "Work 00"


def test_the_list_sorts_by_flags_and_filters_by_flag_from_the_stored_rows(
    client_for, members, organisation
):
    plain, marked = _works(organisation, 2)
    # Stored rows are what the list reads: mark one as if the rules had flagged it.
    WorkAssessment.objects.filter(work=marked).update(flag_doing_to=True, flag_count=9)
    client = client_for(members["partner"])
    assert _titles(client.get(LIST + "?flag=doing_to").content.decode()) == [marked.title]
    assert _titles(client.get(LIST + "?sort=flags").content.decode()) == [
        marked.title,
        plain.title,
    ]


def test_the_list_query_count_does_not_grow_with_pages_of_works(
    client_for, members, organisation, django_assert_max_num_queries
):
    client = client_for(members["partner"])
    _busy_work(organisation, "One", 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST).status_code == 200
    for n in range(WORKS_PER_PAGE + 3):
        _busy_work(organisation, f"More {n}", 1)
    with django_assert_max_num_queries(len(small)):
        body = client.get(LIST + "?flag=behind_plan&sort=flags").content.decode()
    assert "of 29 pieces of work" in body
    with django_assert_max_num_queries(len(small)):
        assert client.get(LIST + "?page=2").status_code == 200


def test_the_overview_counts_from_the_stored_rows_and_lists_a_few(
    client_for, members, organisation
):
    _plain, marked = _works(organisation, 2)
    WorkAssessment.objects.filter(work=marked).update(flag_doing_to=True, flag_count=7)
    page = " ".join(client_for(members["staff"]).get("/o/example/").content.decode().split())
    assert "There are 2 pieces of work. 2 of them have something to look at:" in page
    assert 'href="/o/example/works/?flag=doing_to">Doing to people</a>' in page
    assert f'/o/example/works/{marked.pk}/">{marked.title}</a>:' in page
    assert "7 flags" in page


def test_the_api_gives_the_stored_assessment(client, members, organisation):
    (work,) = _works(organisation, 1)
    row = WorkAssessment.objects.get(work=work)
    row.assessment["work"]["values"]["partner_chairs"] = "stored"
    row.save()
    _token, raw = api_token_create(user=members["partner"].user, name="test")
    response = client.get(
        f"/api/v1/organisations/example/works/{work.pk}/assessment",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.json()["work"]["values"]["partner_chairs"] == "stored"
