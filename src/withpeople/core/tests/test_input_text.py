"""Text that is not text (NUL and the other control characters) is refused with a clear message
by every way in: forms, the responses CSV, the framework YAML, work records and the JSON API.
And a framework file too big or too deeply nested is refused before it is read."""

from __future__ import annotations

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from withpeople.accounts.services import api_token_create
from withpeople.domain.input_text import first_refused_character, refused_in
from withpeople.domain.mir.framework import FrameworkInvalid, load_framework_yaml

REFUSED_MESSAGE = "invisible and cannot be saved"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("plain", None),
        ("tab\tnew line\nreturn\r", None),
        ("Zoë\u2019s café — 😀", None),
        ("nul\x00", "U+0000"),
        ("bell\x07", "U+0007"),
        ("escape\x1b[31m", "U+001B"),
        ("delete\x7f", "U+007F"),
        ("c1\x85", "U+0085"),
        ("lone \ud800 surrogate", "U+D800"),
    ],
)
def test_which_characters_are_refused(text, found):
    assert first_refused_character(text) == found


def test_refused_characters_are_found_anywhere_in_a_document():
    data = {"a": ["fine", {"b\x01": "x", "c": "y\x00"}]}
    assert sorted(refused_in(data)) == [("a[1].b\x01", "U+0001"), ("a[1].c", "U+0000")]


@pytest.mark.django_db
@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b"])
def test_a_form_refuses_a_control_character_with_a_clear_message(
    character, client_for, members, organisation
):
    from withpeople.works.models import Work

    page = client_for(members["admin"]).post(
        "/o/example/works/new/",
        {"title": f"Day{character}centres", "level": "strategic", "status": "planning"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert REFUSED_MESSAGE in html
    assert "govuk-error-summary" in html
    assert not Work.objects.exists()


def _headers(membership) -> dict[str, str]:
    _token, raw = api_token_create(user=membership.user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def cycle(organisation):
    from withpeople.feedback.tests.helpers import make_cycle

    return make_cycle(organisation)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"answers": {"x": "always"}, "stories": {"t": "NUL \u0000 here"}},
        {"answers": {"x\u0001": "always"}},
        {"answers": {"x": "always"}, "perspective": "\ud800"},
    ],
)
def test_the_api_refuses_a_control_character_in_a_json_body(body, client, cycle, members):
    from withpeople.feedback.models import Response

    sent = client.post(
        f"/api/v1/organisations/example/cycles/{cycle.slug}/responses",
        json.dumps(body),
        content_type="application/json",
        **_headers(members["staff"]),
    )
    assert sent.status_code == 422
    answer = sent.json()
    assert set(answer) == {"detail", "errors"}
    assert any(REFUSED_MESSAGE in line for line in answer["errors"]), answer
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_a_control_character_in_the_path_or_query(client, members, organisation):
    headers = _headers(members["staff"])
    for url in (
        "/api/v1/organisations/ex%00ample/groups",
        "/api/v1/organisations/example/diversity?work=%00",
    ):
        sent = client.get(url, **headers)
        assert 400 <= sent.status_code < 500, url
        assert "detail" in sent.json()


@pytest.mark.django_db
def test_a_responses_csv_with_a_nul_is_refused_by_line(client, cycle, members):
    from withpeople.feedback.models import Response
    from withpeople.feedback.tests.helpers import i_keys

    key = i_keys(cycle)[0]
    csv = (
        "response_id,submitted_on,perspective,statement,answer,story\n"
        f"r1,2026-03-01,,{key},always,A story\x00 with a NUL\n"
    )
    sent = client.post(
        f"/api/v1/organisations/example/cycles/{cycle.slug}/imports",
        {"file": SimpleUploadedFile("answers.csv", csv.encode(), "text/csv")},
        **_headers(members["staff"]),
    )
    assert sent.status_code == 422
    assert any(line.startswith("line 2: ") and "U+0000" in line for line in sent.json()["errors"])
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_work_record_with_a_control_character_is_refused(client, members, organisation):
    from withpeople.domain.tests.test_work_record import valid_record
    from withpeople.works.models import Work

    record = valid_record()
    record["title"] = "Day\u0000centres"
    sent = client.post(
        "/api/v1/organisations/example/works",
        json.dumps(record),
        content_type="application/json",
        **_headers(members["staff"]),
    )
    assert sent.status_code == 422
    assert any("title" in line and "U+0000" in line for line in sent.json()["errors"])
    assert not Work.objects.exists()


def test_a_deeply_nested_framework_is_refused_quickly():
    started = time.perf_counter()
    with pytest.raises(FrameworkInvalid) as refused:
        load_framework_yaml("[" * 100_000 + "]" * 100_000)
    assert "nested more than 50 deep" in refused.value.errors[0]
    with pytest.raises(FrameworkInvalid) as refused:
        load_framework_yaml("a:\n" + "".join(" " * (2 * i) + "b:\n" for i in range(1, 60)))
    assert "nested more than 50 deep" in refused.value.errors[0]
    assert time.perf_counter() - started < 2


def test_a_huge_framework_is_refused_before_it_is_read():
    started = time.perf_counter()
    with pytest.raises(FrameworkInvalid) as refused:
        load_framework_yaml("- line\n" * 200_000)
    assert "larger than 1,000,000 characters" in refused.value.errors[0]
    assert time.perf_counter() - started < 1


def test_a_framework_with_a_control_character_is_refused():
    with pytest.raises(FrameworkInvalid) as refused:
        load_framework_yaml('format: x\ntitle: "Our \\0 framework"\n')
    assert any(line.startswith("title: ") and "U+0000" in line for line in refused.value.errors)


@pytest.mark.django_db
def test_the_framework_page_refuses_a_deep_file_with_a_message(client_for, members, organisation):
    deep = ("[" * 5_000 + "]" * 5_000).encode()
    started = time.perf_counter()
    page = client_for(members["admin"]).post(
        "/o/example/making-it-real/frameworks/new/",
        {"file": SimpleUploadedFile("deep.yaml", deep, "application/x-yaml")},
    )
    assert page.status_code == 200
    assert "nested more than 50 deep" in page.content.decode()
    assert time.perf_counter() - started < 5
