"""The lossless work record, ``withpeople.work/2``: every demo piece of work survives export,
import into a fresh organisation and export again; bad records are refused whole."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from withpeople.domain.work_record import (
    FORMAT_2,
    parse_work_record_json,
    without_keys_set_by_import,
)
from withpeople.testing.factories import OrganisationFactory
from withpeople.works.models import RecordLead, Work
from withpeople.works.selectors import assessment_for, work_record_json
from withpeople.works.services import work_import

pytestmark = pytest.mark.django_db

DESIGN = {"key": "design", "name": "Designing options", "intended_rung": "co-production"}


@pytest.fixture(scope="module")
def demo_works(django_db_setup, django_db_blocker):
    """The demo, built once for this module inside a transaction rolled back at the end, so
    the tests after it start from an empty database without emptying the tables."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--force", "--password", "demo-pass-123", verbosity=0)
        yield list(Work.objects.filter(organisation__slug="example-council").order_by("pk"))
        transaction.set_rollback(True)


def test_every_demo_piece_of_work_comes_back_the_same(demo_works):
    fresh = OrganisationFactory(slug="fresh", name="Fresh Council")
    assert len(demo_works) >= 4
    for work in demo_works:
        first = work_record_json(work, format=FORMAT_2)
        copy = work_import(organisation=fresh, record=parse_work_record_json(json.dumps(first)))
        again = work_record_json(copy, format=FORMAT_2)
        assert without_keys_set_by_import(again) == without_keys_set_by_import(first), work.title
        assert assessment_for(copy) == assessment_for(work), work.title
        assert copy.organisation == fresh
    # Lossless means the demo's names, titles, notes, leads and rounds all made the journey.
    records = [work_record_json(work, format=FORMAT_2) for work in demo_works]
    assert any(r["leads"] for r in records)
    assert any(r["checkin_rounds"] for r in records)
    assert any(a["title"] for r in records for a in r["activities"])
    people = [p for r in records for p in r["people"]]
    assert people and all(p["name"] and p["name"] != p["ref"] for p in people)


def test_leads_named_in_a_record_are_kept_but_grant_nothing(demo_works):
    work = next(w for w in demo_works if w.leads.exists())
    fresh = OrganisationFactory(slug="fresh", name="Fresh Council")
    data = work_record_json(work, format=FORMAT_2)
    copy = work_import(organisation=fresh, record=parse_work_record_json(json.dumps(data)))
    assert not copy.leads.exists()  # nobody in the fresh organisation leads it from a file
    names = list(RecordLead.objects.filter(work=copy).values_list("name", flat=True))
    assert names == [lead["name"] for lead in data["leads"]]
    assert work_record_json(copy, format=FORMAT_2)["leads"] == data["leads"]


def test_the_work_page_shows_the_leads_named_in_its_record(client_for, members):
    data = {
        "format": FORMAT_2,
        "title": "Short breaks",
        "level": "strategic",
        "leads": [{"name": "Ana Lead", "ref": None}],
    }
    work = work_import(
        organisation=members["partner"].organisation,
        record=parse_work_record_json(json.dumps(data)),
    )
    url = f"/o/{work.organisation.slug}/works/{work.pk}/"
    body = client_for(members["partner"]).get(url).content.decode()
    assert "Leads named in the imported record" in body
    assert "Ana Lead" in body


def test_status_dates_titles_and_rounds_are_kept(organisation):
    opened = dt.datetime(2025, 1, 6, 9, 30, 15, 123456, tzinfo=dt.UTC)
    data = {
        "format": FORMAT_2,
        "title": "Short breaks",
        "level": "service_design",
        "status": "in_progress",
        "starts_on": "2025-01-01",
        "ends_on": "2030-12-31",
        "leads": [{"name": "Ana Lead", "ref": "p1"}, {"name": "Bo Outside", "ref": None}],
        "aspects": [{"key": "design", "name": "Designing options", "intended_rung": "co-design",
                     "reason": {"category": "legal_duty",
                                "explanation": "The regulator sets the standards we must meet."}}],
        "people": [{"ref": "p1", "name": "Ana", "perspective": "carer", "role": "chair"}],
        "activities": [{"aspect": "design", "date": "2024-12-20", "kind": "drop-in",
                        "title": "First drop-in", "notes": "Before the start: confirmed.",
                        "participants": ["p1"], "views_sought": True}],
        "checkin_rounds": [
            {"name": "Spring", "opened_at": opened.isoformat(),
             "closed_at": (opened + dt.timedelta(days=7)).isoformat()},
            {"name": "Summer", "opened_at": (opened + dt.timedelta(days=90)).isoformat(),
             "closed_at": None},
        ],
        "checkins": [{"aspect": "design", "perspective": "carer", "rung": "co-design"}],
    }  # fmt: skip
    work = work_import(organisation=organisation, record=parse_work_record_json(json.dumps(data)))
    assert (work.status, work.starts_on, work.ends_on) == (
        "in_progress",
        dt.date(2025, 1, 1),
        dt.date(2030, 12, 31),
    )
    activity = work.activities.get()
    assert (activity.title, activity.notes, activity.kind) == (
        "First drop-in",
        "Before the start: confirmed.",
        "drop-in",
    )
    assert work.group.members.get().name == "Ana"
    spring, summer = work.checkin_rounds.order_by("opened_at")
    assert spring.opened_at == opened and spring.imported and summer.is_open
    assert not summer.imported  # answers given here are suppressed as any round's are
    exported = work_record_json(work, format=FORMAT_2)
    for key in ("status", "starts_on", "ends_on", "leads", "checkin_rounds", "checkins"):
        assert exported[key] == data[key], key


def _import(tmp_path, data) -> tuple[int | str | None, list[str]]:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data))
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("import-work", str(path), "--organisation", "example", stderr=err)
    return exited.value.code, err.getvalue().strip().splitlines()


def test_a_bad_record_2_names_each_path_exits_2_and_saves_nothing(tmp_path, organisation):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = {
        "format": FORMAT_2,
        "title": "Short breaks",
        "level": "strategic",
        "leads": [{"name": "Ana Lead", "ref": "nobody"}],
        "aspects": [DESIGN],
        "people": [{"ref": "p1", "name": "Ana", "perspective": "carer"}],
        "activities": [{"aspect": "design", "date": tomorrow.isoformat(), "kind": "workshop",
                        "participants": ["p2"], "recorded_by": {"name": "Sam", "ref": "s9"}}],
        "decisions": [{"aspect": "design", "date": "2025-03-01", "summary": "Option B.",
                       "decided_by": "jointly",
                       "withdrawn": {"at": "2025-03-02T10:00:00+00:00", "by": None,
                                     "reason": " "}}],
    }  # fmt: skip
    code, lines = _import(tmp_path, data)
    assert code == 2
    paths = [line.split(":", 1)[0] for line in lines]
    assert paths == [
        "activities[0].date",
        "activities[0].participants[0]",
        "activities[0].recorded_by.ref",
        "decisions[0].withdrawn.reason",
        "leads[0].ref",
    ]
    assert "must be today or in the past" in lines[0]
    assert 'unknown person "p2"' in lines[1]
    assert not Work.objects.filter(organisation=organisation).exists()


def test_a_withdrawn_entry_and_who_recorded_it_are_kept_and_it_is_not_evidence(
    tmp_path, organisation
):
    data = {
        "format": FORMAT_2,
        "title": "Short breaks",
        "level": "strategic",
        "aspects": [DESIGN],
        "people": [{"ref": "p1", "perspective": "lived_experience", "name": "Ana"}],
        "decisions": [{"aspect": "design", "date": "2025-03-01", "summary": "Option B.",
                       "decided_by": "partners",
                       "recorded_by": {"name": "Ana", "ref": "p1"},
                       "withdrawn": {"at": "2025-03-02T10:00:00.000000+00:00",
                                     "by": {"name": "Sam Lead", "ref": None},
                                     "reason": "Recorded against the wrong piece of work."}}],
    }  # fmt: skip
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data))
    call_command("import-work", str(path), "--organisation", "example", stdout=io.StringIO())
    work = Work.objects.get(organisation=organisation, title="Short breaks")
    decision = work.decisions.get()
    assert decision.is_withdrawn and decision.recorded_by is None
    assert (decision.recorded_by_name, decision.withdrawn_by_name) == ("Ana", "Sam Lead")
    # Withdrawn, so not evidence: a decision by partners would have lifted the aspect.
    from withpeople.works.selectors import assessment_for, work_record_json

    assert assessment_for(work)["aspects"][0]["evidenced"] != "co-production"
    again = work_record_json(work, format=FORMAT_2)["decisions"][0]
    assert again["recorded_by"] == {"name": "Ana", "ref": "p1"}
    assert again["withdrawn"]["by"] == {"name": "Sam Lead", "ref": None}
    assert again["withdrawn"]["reason"] == "Recorded against the wrong piece of work."


def test_the_example_of_2_in_the_documentation_is_a_valid_record(tmp_path):
    text = (Path(__file__).resolve().parents[4] / "docs" / "work-record.md").read_text()
    section = text.split("## The lossless record: `withpeople.work/2`", 1)[1]
    example = section.split("```json\n", 1)[1].split("```", 1)[0]
    record = parse_work_record_json(example)
    assert record.decisions[0].withdrawn is not None
    path = tmp_path / "example.json"
    path.write_text(example)
    out = io.StringIO()
    call_command("assess", str(path), "--json", stdout=out)
    # The one decision is withdrawn, so nothing was decided: the evidence stops at consultation.
    assert json.loads(out.getvalue())["aspects"][0]["evidenced"] == "consultation"


def test_who_recorded_and_withdrew_an_entry_is_read_where_entries_keep_it():
    """The contract of `recording_of` for when activities and decisions keep who recorded
    them and their withdrawal: an entry without those fields gives none of the keys."""
    from types import SimpleNamespace

    from withpeople.domain.work_record import Someone, Withdrawal
    from withpeople.works.selectors import recording_of

    sam = SimpleNamespace(pk=7, user=SimpleNamespace(name="Sam Staff"))
    kim = SimpleNamespace(pk=8, user=SimpleNamespace(name="Kim Lead"))
    at = dt.datetime(2025, 3, 2, 10, tzinfo=dt.UTC)
    entry = SimpleNamespace(
        recorded_by=sam,
        recorded_at=at,
        withdrawn_at=at,
        withdrawn_by=kim,
        withdrawn_reason="Recorded against the wrong piece of work.",
    )
    assert recording_of(entry, 1, {(1, 7): "s1"}) == {
        "recorded_by": Someone("Sam Staff", "s1"),
        "recorded_at": at,
        "withdrawn": Withdrawal(
            at=at, reason="Recorded against the wrong piece of work.", by=Someone("Kim Lead")
        ),
    }
    assert recording_of(SimpleNamespace(), 1, {}) == {
        "recorded_by": None,
        "recorded_at": None,
        "withdrawn": None,
    }
