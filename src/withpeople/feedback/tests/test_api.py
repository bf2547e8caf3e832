"""The feedback API: staff send responses and files; any member reads results."""

import pytest

from withpeople.accounts.services import api_token_create
from withpeople.feedback.models import Channel, Response
from withpeople.feedback.selectors import cycle_results
from withpeople.feedback.steps import results_step_publish
from withpeople.feedback.tests.helpers import i_keys, make_cycle

pytestmark = pytest.mark.django_db


def auth(membership) -> dict:
    _token, raw = api_token_create(user=membership.user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def cycle(organisation):
    return make_cycle(organisation)


def url(cycle, tail: str) -> str:
    return f"/api/v1/organisations/example/cycles/{cycle.slug}/{tail}"


def test_staff_send_a_response(client, cycle, members):
    key = i_keys(cycle)[0]
    body = {"answers": {key: "mostly"}, "stories": {"workforce": "Kind."}, "perspective": "carer"}
    response = client.post(
        url(cycle, "responses"), body, content_type="application/json", **auth(members["staff"])
    )
    assert response.status_code == 201, response.content
    assert response.json() == {"answers": 1, "stories": 1}
    saved = Response.objects.get()
    assert (saved.channel, saved.entered_by) == (Channel.API, members["staff"].user)


def test_a_bad_response_is_422_and_saves_nothing(client, cycle, members):
    response = client.post(
        url(cycle, "responses"),
        {"answers": {"wi-i1": "often"}},
        content_type="application/json",
        **auth(members["staff"]),
    )
    assert response.status_code == 422
    assert any("is not an answer" in e for e in response.json()["errors"])
    assert not Response.objects.exists()


def test_partners_cannot_send_responses_through_the_api(client, cycle, members):
    response = client.post(
        url(cycle, "responses"),
        {"answers": {"wi-i1": "always"}},
        content_type="application/json",
        **auth(members["partner"]),
    )
    assert response.status_code == 403


def test_import_a_file(client, cycle, members):
    a, b = i_keys(cycle)[:2]
    text = (
        "response_id,submitted_on,statement,answer\n"
        f"r1,2026-03-01,{a},always\nr1,2026-03-01,{b},never\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        url(cycle, "imports"),
        {"file": SimpleUploadedFile("a.csv", text.encode(), content_type="text/csv")},
        **auth(members["staff"]),
    )
    assert response.status_code == 201, response.content
    assert response.json() == {"responses": 1, "answers": 2}


def test_a_bad_file_is_422_with_every_problem(client, cycle, members):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "response_id,submitted_on,statement,answer\nr1,2026-03-01,nope,always\n"
    response = client.post(
        url(cycle, "imports"),
        {"file": SimpleUploadedFile("a.csv", text.encode(), content_type="text/csv")},
        **auth(members["staff"]),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == ['line 2, column "statement": unknown statement "nope"']
    assert not Response.objects.exists()


def test_any_member_reads_the_results(client, cycle, members, outsider):
    response = client.get(url(cycle, "results"), **auth(members["partner"]))
    assert response.status_code == 200
    assert response.json() == cycle_results(cycle)
    assert client.get(url(cycle, "results"), **auth(outsider)).status_code == 404


def test_another_organisations_cycle_is_not_found(client, organisation, members):
    from withpeople.testing.factories import OrganisationFactory

    theirs = make_cycle(OrganisationFactory(slug="theirs"), "theirs")
    response = client.get(
        f"/api/v1/organisations/example/cycles/{theirs.slug}/results", **auth(members["admin"])
    )
    assert response.status_code == 404


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    base = "/api/v1/organisations/{slug}/cycles/{cycle}/"
    assert "post" in paths[base + "responses"]
    assert "post" in paths[base + "imports"]
    assert "get" in paths[base + "results"]


def test_results_from_the_api_hide_small_numbers(client, cycle, members):
    from withpeople.domain.mir.results import assert_no_small_numbers
    from withpeople.feedback.services import response_submit

    first, second = i_keys(cycle)[:2]
    # Statement 1: 6 carers and 1 person with lived experience; statement 2: only 2 answers.
    for perspective in ["carer"] * 6 + ["lived_experience"]:
        response_submit(
            cycle=cycle,
            answers={first: "always", second: "never"}
            if perspective == "lived_experience"
            else {first: "mostly"},
            perspective=perspective,
            channel=Channel.API,
        )
    response_submit(cycle=cycle, answers={second: "rarely"}, channel=Channel.API)
    results_step_publish(cycle)
    results = client.get(url(cycle, "results"), **auth(members["partner"])).json()
    assert_no_small_numbers(results)
    by_key = {entry["key"]: entry for entry in results["statements"]}
    assert by_key[first]["answered"] == 7
    groups = by_key[first]["by_perspective"]
    # The lone lived-experience answer is hidden, and so is the carers' group beside it, so
    # neither can be worked out from the statement's total.
    assert groups["lived_experience"] == {
        "suppressed": True,
        "answered": None,
        "positive_percent": None,
    }
    assert groups["carer"]["suppressed"] is True
    assert by_key[second]["suppressed"] is True
    assert by_key[second]["counts"] is None


def _upload(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("a.csv", text.encode(), content_type="text/csv")


def test_an_import_records_who_imported_it_and_is_audited(client, cycle, members):
    from withpeople.audit.models import AuditEvent

    a = i_keys(cycle)[0]
    text = f"response_id,submitted_on,statement,answer\nr1,2026-03-01,{a},always\n"
    response = client.post(url(cycle, "imports"), {"file": _upload(text)}, **auth(members["staff"]))
    assert response.status_code == 201, response.content
    saved = Response.objects.get()
    assert (saved.channel, saved.entered_by) == (Channel.IMPORTED, members["staff"].user)
    event = AuditEvent.objects.get(action="imported_feedback_responses")
    assert (event.actor, event.organisation) == (members["staff"].user, cycle.organisation)
    assert event.subject_id == str(cycle.pk)
    assert "1 responses with 1 answers" in event.detail
    # The same file again is refused, and not audited as an import.
    again = client.post(url(cycle, "imports"), {"file": _upload(text)}, **auth(members["staff"]))
    assert again.status_code == 422
    assert "already in this review cycle" in again.json()["errors"][0]
    assert AuditEvent.objects.filter(action="imported_feedback_responses").count() == 1
    assert Response.objects.count() == 1


def test_a_file_over_50_mb_is_refused_with_413(client, cycle, members, monkeypatch):
    from withpeople.feedback import services

    a = i_keys(cycle)[0]
    text = f"response_id,submitted_on,statement,answer\nr1,2026-03-01,{a},always\n"
    # The limit is lowered rather than sending 50 MB; the check is the same.
    monkeypatch.setattr(services, "MAX_IMPORT_BYTES", len(text) - 1)
    response = client.post(url(cycle, "imports"), {"file": _upload(text)}, **auth(members["staff"]))
    assert response.status_code == 413
    assert response.json()["errors"] == [
        "The file must be smaller than 50 MB. Split it into parts."
    ]
    assert not Response.objects.exists()
