"""Every answer of a review cycle as a download: CSV (streamed), Excel and OpenDocument."""

from __future__ import annotations

from collections import Counter

import pytest
from django.http import StreamingHttpResponse

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent
from withpeople.feedback import services
from withpeople.feedback.exports import ANSWERS_HEADERS
from withpeople.feedback.models import Answer, Channel
from withpeople.feedback.tests.helpers import i_keys, make_cycle
from withpeople.testing.downloads import read_download

pytestmark = pytest.mark.django_db
BASE = "/o/example/making-it-real/"


@pytest.fixture
def cycle(organisation):
    cycle = make_cycle(organisation)
    keys = i_keys(cycle)
    services.response_submit(
        cycle=cycle,
        answers={keys[0]: "always", keys[1]: "never", keys[2]: "mostly"},
        stories={"wellbeing-and-independence": '=HYPERLINK("http://evil") my own words'},
        perspective="carer",
        channel=Channel.ONLINE,
    )
    services.response_submit(
        cycle=cycle, answers={keys[0]: "rarely", keys[3]: "always"}, channel=Channel.PAPER
    )
    return cycle


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_every_answer_is_in_each_format_and_the_download_is_audited(
    client_for, members, cycle, fmt
):
    response = client_for(members["admin"]).get(f"{BASE}cycles/{cycle.slug}/download/answers.{fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="spring-answers.{fmt}"'
    assert response["Cache-Control"] == "private, no-store"
    assert isinstance(response, StreamingHttpResponse) == (fmt == "csv")
    rows = read_download(response, fmt)
    assert tuple(rows[0]) == ANSWERS_HEADERS
    body = [dict(zip(ANSWERS_HEADERS, row, strict=True)) for row in rows[1:]]
    # One row per answer, and the totals per answer agree with the database.
    assert len(body) == Answer.objects.filter(response__cycle=cycle).count() == 5
    assert Counter(row["answer"] for row in body) == Counter(
        {"always": 2, "never": 1, "mostly": 1, "rarely": 1}
    )
    # Responses are numbered within the cycle, in order, never by their database id.
    assert [int(float(row["response"])) for row in body] == [1, 1, 1, 2, 2]
    # The perspective a person gave is the breakdown the results hide for small groups.
    assert not any("carer" in map(str, row) for row in rows)
    assert {row["channel"] for row in body[3:]} == {"paper"}
    # People's stories are never in it.
    assert not any("my own words" in str(cell) for row in rows for cell in row)
    event = AuditEvent.objects.get(action=AuditEventKind.EXPORTED_ANSWERS)
    assert (event.actor, event.subject_id, event.detail) == (
        members["admin"].user,
        str(cycle.pk),
        fmt,
    )


def test_an_empty_cycle_downloads_just_the_header(client_for, members, organisation):
    cycle = make_cycle(organisation, slug="empty")
    response = client_for(members["admin"]).get(f"{BASE}cycles/{cycle.slug}/download/answers.csv")
    assert read_download(response, "csv") == [list(ANSWERS_HEADERS)]


def test_only_admins_download_answers_and_unknown_formats_are_404(client_for, members, cycle):
    url = f"{BASE}cycles/{cycle.slug}/download/answers"
    assert client_for(members["partner"]).get(f"{url}.csv").status_code == 403
    assert client_for(members["staff"]).get(f"{url}.csv").status_code == 403
    assert client_for(members["admin"]).get(f"{url}.pdf").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEventKind.EXPORTED_ANSWERS).exists()


def test_the_cycle_page_offers_the_answers_in_three_formats_to_admins_only(
    django_app, members, cycle
):
    page = django_app.get(f"{BASE}cycles/{cycle.slug}/", user=members["admin"].user)
    links = page.html.select('a[href*="/download/answers."]')
    assert [link["href"].rsplit(".", 1)[1] for link in links] == ["csv", "xlsx", "ods"]
    # Each link names what it downloads for a screen reader, not just "CSV".
    assert all("of the answers" in link.text for link in links)
    for role in ("staff", "partner"):
        page = django_app.get(f"{BASE}cycles/{cycle.slug}/", user=members[role].user)
        assert not page.html.select('a[href*="/download/answers."]')
