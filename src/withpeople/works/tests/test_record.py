"""The portable work record: import, export, the commands and the API."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from withpeople.accounts.services import api_token_create
from withpeople.domain.tests.test_work_record import valid_record
from withpeople.domain.work_record import (
    parse_work_record,
    with_checkins_counted,
    work_record_to_dict,
)
from withpeople.works.models import Activity, Work
from withpeople.works.selectors import work_record_json
from withpeople.works.services import work_import

pytestmark = pytest.mark.django_db


def big_record():
    """A random but valid record, made as the benchmark makes its records."""
    import random

    from benchmarks.assess_benchmark import build_record

    return build_record(random.Random(4), activities=40, decisions=40, people=20)


def exported(data) -> dict:
    """What exporting an imported record gives: the same record, every field written out, and
    the check-ins (which WithPeople keeps only as counts) in ladder order."""
    return work_record_to_dict(with_checkins_counted(parse_work_record(data)))


@pytest.mark.parametrize("make", [valid_record, big_record])
def test_import_then_export_gives_back_the_record(organisation, make):
    data = make()
    work = work_import(organisation=organisation, record=parse_work_record(data))
    assert work_record_json(work) == exported(data)
    # The same check-ins, only in another order (order carries no meaning).
    assert sorted(map(str, work_record_json(work)["checkins"])) == sorted(
        map(str, data["checkins"])
    )


def test_a_record_wider_than_the_database_is_refused_whole(organisation):
    data = valid_record()
    data["activities"][0]["kind"] = "k" * 61
    with pytest.raises(Exception, match=r"activities\[0\]\.kind"):
        work_import(organisation=organisation, record=parse_work_record(data))
    assert not Work.objects.exists()


def _write(tmp_path, data) -> str:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_assess_prints_a_summary_or_json_and_saves_nothing(tmp_path):
    path = _write(tmp_path, valid_record())
    out = io.StringIO()
    call_command("assess", path, stdout=out)
    text = out.getvalue()
    assert text.startswith("Carers' strategy\n")
    assert "Evidence shows:" in text
    assert "Why it steps down:     The council's cabinet must take the final decision." in text
    out = io.StringIO()
    call_command("assess", path, "--json", stdout=out)
    assert json.loads(out.getvalue())["format"] == "withpeople.assessment/1"
    assert not Work.objects.exists()


def test_assess_reads_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(valid_record())))
    out = io.StringIO()
    call_command("assess", "-", "--json", stdout=out)
    assert len(json.loads(out.getvalue())["aspects"]) == 2


def test_an_invalid_record_gives_one_line_per_problem_and_exit_status_2(tmp_path, organisation):
    data = valid_record()
    data["level"] = "stratgic"
    data["activities"][0]["views_saught"] = True
    path = _write(tmp_path, data)
    for command in (["assess", path], ["import-work", path, "--organisation", "example"]):
        err = io.StringIO()
        with pytest.raises(SystemExit) as exited:
            call_command(*command, stderr=err, stdout=io.StringIO())
        assert exited.value.code == 2
        lines = err.getvalue().strip().splitlines()
        assert len(lines) == 2
        assert lines[0].startswith('level: unknown level "stratgic" (did you mean "strategic"?)')
        assert lines[1].startswith("activities[0].views_saught: unknown field")
    assert not Work.objects.exists()


def test_import_work_and_export_work_commands_round_trip(tmp_path, organisation):
    path = _write(tmp_path, valid_record())
    out = io.StringIO()
    call_command("import-work", path, "--organisation", "example", stdout=out)
    work = Work.objects.get()
    assert f"piece of work {work.pk}" in out.getvalue()
    assert work.checkin_rounds.get().name == "Imported"
    out = io.StringIO()
    call_command("export-work", str(work.pk), "--format", "withpeople.work/1", stdout=out)
    assert json.loads(out.getvalue()) == exported(valid_record())
    out = io.StringIO()
    call_command("export-work", str(work.pk), stdout=out)
    record_2 = json.loads(out.getvalue())
    assert record_2["format"] == "withpeople.work/2"
    # A /1 record's people have no names: they are known by their refs.
    assert [person["name"] for person in record_2["people"]] == ["p1", "p2", "s1", "s2"]


def _auth(membership):
    _token, raw = api_token_create(user=membership.user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_assesses_imports_and_reads_records(client, members):
    staff, partner = _auth(members["staff"]), _auth(members["partner"])
    body = json.dumps(valid_record())
    response = client.post("/api/v1/assess", body, content_type="application/json", **partner)
    assert response.status_code == 200
    assert response.json()["aspects"][0]["key"] == "design"
    bad = dict(valid_record(), level="nope")
    response = client.post(
        "/api/v1/assess", json.dumps(bad), content_type="application/json", **partner
    )
    assert response.status_code == 422
    assert response.json()["errors"][0].startswith("level: unknown level")

    path = "/api/v1/organisations/example/works"
    response = client.post(path, body, content_type="application/json", **partner)
    assert response.status_code == 403
    response = client.post(path, json.dumps(bad), content_type="application/json", **staff)
    assert response.status_code == 422
    assert not Work.objects.exists()
    response = client.post(path, body, content_type="application/json", **staff)
    assert response.status_code == 201
    work_id = response.json()["id"]
    record = client.get(f"{path}/{work_id}", **partner).json()
    assert record == exported(valid_record())
    record_2 = client.get(f"{path}/{work_id}?version=2", **partner).json()
    assert record_2["format"] == "withpeople.work/2"
    # The person who imported it leads it; the record named no leads of its own.
    assert record_2["leads"] == [{"name": members["staff"].user.name, "ref": None}]
    assert client.get(f"{path}/{work_id}?version=3", **partner).status_code == 422
    assessment = client.get(f"{path}/{work_id}/assessment", **partner).json()
    assert assessment["format"] == "withpeople.assessment/1"
    assert Activity.objects.count() == 2


DEEP = "[" * 100_000 + "]" * 100_000
NOT_RECORDS = [
    pytest.param("[]", id="a-list"),
    pytest.param('"x"', id="a-string"),
    pytest.param("not json", id="not-json"),
    pytest.param(DEEP, id="nested-too-deeply"),
    pytest.param(json.dumps(dict(valid_record(), title="Carers\x00")), id="a-nul"),
]


def _command_errors(tmp_path, text: str) -> list[str]:
    path = tmp_path / "record.json"
    path.write_text(text, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("assess", str(path), stdout=io.StringIO(), stderr=err)
    assert exited.value.code == 2
    return err.getvalue().splitlines()


@pytest.mark.parametrize("text", NOT_RECORDS)
def test_the_api_answers_anything_but_a_record_with_422_and_the_commands_messages(
    client, members, tmp_path, text
):
    expected = _command_errors(tmp_path, text)
    for path, auth in (
        ("/api/v1/assess", _auth(members["partner"])),
        ("/api/v1/organisations/example/works", _auth(members["staff"])),
    ):
        response = client.post(path, text, content_type="application/json", **auth)
        assert response.status_code == 422, path
        assert response.json() == {"errors": expected}
    assert not Work.objects.exists()


def test_the_api_still_describes_the_record_it_reads(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/assess", "/api/v1/organisations/{slug}/works"):
        body = paths[path]["post"]["requestBody"]
        assert body["required"] is True
        schema = body["content"]["application/json"]["schema"]
        assert schema["type"] == "object"
        assert "withpeople.work/1" in schema["description"]


@pytest.mark.parametrize("text", [pytest.param(DEEP, id="too-deep")])
def test_import_work_refuses_json_nested_too_deeply(tmp_path, organisation, text):
    path = tmp_path / "record.json"
    path.write_text(text, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("import-work", str(path), "--organisation", "example", stderr=err)
    assert exited.value.code == 2
    assert err.getvalue().startswith("record: is nested too deeply to read;")
    assert not Work.objects.exists()


def test_every_person_has_their_own_ref_even_when_an_imported_ref_looks_generated(organisation):
    from withpeople.works.models import PersonRef
    from withpeople.works.services import work_member_add

    work = work_import(organisation=organisation, record=parse_work_record(valid_record()))
    added = work_member_add(work=work, name="Bea", perspective="carer")
    # An imported ref that happens to be the pseudonym WithPeople gives Bea, and one that is
    # the next it would try.
    PersonRef.objects.filter(ref="p1").update(ref=f"person-{added.pk}")
    PersonRef.objects.filter(ref="p2").update(ref=f"person-{added.pk}-2")
    data = work_record_json(work)
    refs = [person["ref"] for person in data["people"]]
    assert len(set(refs)) == len(refs)
    assert refs[-1] == f"person-{added.pk}-3"
    assert f"person-{added.pk}" in refs  # the imported person keeps theirs
    # So the record imports again, and exports the same.
    again = work_import(organisation=organisation, record=parse_work_record(data))
    assert work_record_json(again) == data
    # And Bea keeps the same ref in every export.
    assert work_record_json(work)["people"][-1]["ref"] == f"person-{added.pk}-3"


def test_api_needs_sign_in_and_hides_other_organisations(client, members, outsider):
    assert client.post("/api/v1/assess", "{}", content_type="application/json").status_code == 401
    work = work_import(
        organisation=members["staff"].organisation, record=parse_work_record(valid_record())
    )
    response = client.get(f"/api/v1/organisations/example/works/{work.pk}", **_auth(outsider))
    assert response.status_code == 404
    response = client.get(f"/api/v1/organisations/elsewhere/works/{work.pk}", **_auth(outsider))
    assert response.status_code == 404
    response = client.post(
        "/api/v1/organisations/example/works",
        json.dumps(valid_record()),
        content_type="application/json",
        **_auth(outsider),
    )
    assert response.status_code == 404
    assert Work.objects.count() == 1


def test_the_openapi_document_has_the_work_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/assess",
        "/api/v1/organisations/{slug}/works",
        "/api/v1/organisations/{slug}/works/{work_id}",
        "/api/v1/organisations/{slug}/works/{work_id}/assessment",
    ):
        assert path in paths


def test_the_import_page_lists_every_problem_and_saves_nothing(django_app, members):
    from webtest import Upload

    page = django_app.get("/o/example/works/import/", user=members["staff"].user)
    form = page.forms[1]
    response = form.submit()
    assert "Select a work record file" in response
    bad = dict(valid_record(), level="nope", title="")
    form = response.forms[1]
    form["file"] = Upload("record.json", json.dumps(bad).encode(), "application/json")
    response = form.submit()
    assert "title: must not be blank" in response
    assert "level: unknown level" in response
    assert not Work.objects.exists()
    form = response.forms[1]
    form["file"] = Upload("record.json", b"not json", "application/json")
    assert "must be a work record in JSON" in form.submit()
    form = response.forms[1]
    form["file"] = Upload("record.json", DEEP.encode(), "application/json")
    deep = form.submit()
    assert deep.status_code == 200
    assert "nested too deeply to be a work record" in deep
    form = response.forms[1]
    nul = dict(valid_record(), title="Carers\x00")
    form["file"] = Upload("record.json", json.dumps(nul).encode(), "application/json")
    assert "title: must not contain the NUL character" in form.submit()
    assert not Work.objects.exists()
    form = response.forms[1]
    form["file"] = Upload("record.json", json.dumps(valid_record()).encode(), "application/json")
    response = form.submit().follow()
    assert "Carers&#x27; strategy has been imported" in response
    assert Work.objects.get().title == "Carers' strategy"
