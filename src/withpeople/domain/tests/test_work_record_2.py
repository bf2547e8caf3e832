"""Reading and writing ``withpeople.work/2``, without a database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from withpeople.domain.assessment import assess
from withpeople.domain.tests.test_work_record import valid_record
from withpeople.domain.work_record import (
    FORMAT_2,
    Someone,
    Withdrawal,
    WorkRecordInvalid,
    parse_work_record,
    without_keys_set_by_import,
    work_record_to_dict_2,
)

TODAY = dt.date(2026, 6, 1)


def valid_record_2() -> dict[str, Any]:
    """The small ``/1`` record, with everything ``/2`` adds."""
    data = valid_record()
    data["format"] = FORMAT_2
    data.update(
        status="in_progress",
        starts_on="2025-01-01",
        ends_on=None,
        leads=[{"name": "Pat Chair", "ref": "p1"}, {"name": "Sam Staff", "ref": None}],
        checkin_rounds=[
            {
                "name": "First round",
                "opened_at": "2025-04-01T09:00:00+00:00",
                "closed_at": "2025-04-08T17:00:00.250000+00:00",
            }
        ],
    )
    for person, name in zip(data["people"], ["Pat", "Jo", "Sam", "Kim"], strict=True):
        person["name"] = name
    first = data["activities"][0]
    first.update(
        title="Options workshop",
        notes="Held at the library.",
        recorded_by={"name": "Sam Staff", "ref": "s1"},
        recorded_at="2025-02-01T18:00:00+00:00",
    )
    data["decisions"][0].update(
        recorded_by={"name": "Sam Staff", "ref": None},
        recorded_at="2025-03-01T12:00:00+01:00",
    )
    return data


def parse(data: object) -> Any:
    return parse_work_record(data, today=TODAY)


def errors_of(data: object) -> list[str]:
    with pytest.raises(WorkRecordInvalid) as raised:
        parse(data)
    return raised.value.errors


def test_a_record_2_reads_and_writes_back_the_same():
    record = parse(valid_record_2())
    assert record.status == "in_progress"
    assert record.leads == (Someone("Pat Chair", "p1"), Someone("Sam Staff", None))
    assert record.people[0].name == "Pat"
    assert record.activities[0].title == "Options workshop"
    assert record.activities[0].recorded_by == Someone("Sam Staff", "s1")
    assert record.checkin_rounds[0].closed_at == dt.datetime(
        2025, 4, 8, 17, 0, 0, 250000, tzinfo=dt.UTC
    )
    assert parse(work_record_to_dict_2(record)) == record
    # Written out again, moments are in UTC and unknown recording keys are left out.
    written = work_record_to_dict_2(record)
    assert written["decisions"][0]["recorded_at"] == "2025-03-01T11:00:00+00:00"
    assert "recorded_by" not in written["activities"][1]


def test_keys_set_by_import_are_left_out_of_a_comparison():
    written = work_record_to_dict_2(parse(valid_record_2()))
    compared = without_keys_set_by_import(written)
    assert "recorded_at" not in compared["activities"][0]
    assert compared["activities"][0]["recorded_by"] == {"name": "Sam Staff", "ref": "s1"}
    assert compared["title"] == written["title"]


def test_a_withdrawn_entry_stays_in_the_record_but_is_not_evidence():
    data = valid_record_2()
    before = assess(parse(data))
    data["decisions"][0]["withdrawn"] = {
        "at": "2025-03-10T10:00:00+00:00",
        "by": {"name": "Sam Staff", "ref": "s1"},
        "reason": "Recorded against the wrong piece of work.",
    }
    record = parse(data)
    assert record.decisions[0].withdrawn == Withdrawal(
        at=dt.datetime(2025, 3, 10, 10, tzinfo=dt.UTC),
        reason="Recorded against the wrong piece of work.",
        by=Someone("Sam Staff", "s1"),
    )
    assert parse(work_record_to_dict_2(record)) == record
    after = assess(record)
    design_before, design_after = before["aspects"][0], after["aspects"][0]
    assert design_before["evidenced"] != design_after["evidenced"]
    assert after == assess(parse({**data, "decisions": data["decisions"][1:]}))


def test_a_record_1_does_not_know_the_fields_of_2():
    data = valid_record()
    data["status"] = "planning"
    data["people"][0]["name"] = "Pat"
    data["activities"][0]["title"] = "Workshop"
    assert [line.split(":")[0] for line in errors_of(data)] == [
        "status",
        "people[0].name",
        "activities[0].title",
    ]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d.update(status="done"),
            'status: unknown status "done"',
        ),
        (
            lambda d: d.update(ends_on="2024-12-31"),
            "ends_on: must not be before starts_on 2025-01-01",
        ),
        (
            lambda d: d["leads"][1].update(ref="p9"),
            'leads[1].ref: unknown person "p9"',
        ),
        (
            lambda d: d["leads"].append({"ref": "p1"}),
            "leads[2].name: is required",
        ),
        (
            lambda d: d["activities"][0].update(recorded_at="2025-02-01 18:00"),
            'activities[0].recorded_at: "2025-02-01 18:00" is not a moment',
        ),
        (
            lambda d: d["activities"][0].update(recorded_at="2025-02-01T18:00:00"),
            'activities[0].recorded_at: "2025-02-01T18:00:00" is not a moment written as '
            "YYYY-MM-DDTHH:MM:SS with its offset from UTC",
        ),
        (
            lambda d: d["activities"][0].update(recorded_at="2026-06-02T00:00:00+00:00"),
            "activities[0].recorded_at: must not be in the future",
        ),
        (
            lambda d: d["decisions"][0].update(
                withdrawn={"at": "2025-03-10T10:00:00+00:00", "reason": ""}
            ),
            "decisions[0].withdrawn.reason: must not be blank",
        ),
        (
            lambda d: d["decisions"][0].update(withdrawn=True),
            "decisions[0].withdrawn: must be an object with at, by and reason, or null",
        ),
        (
            lambda d: d["checkin_rounds"][0].update(closed_at=None),
            "checkins: are the answers of the last closed round, but no round",
        ),
        (
            lambda d: d["checkin_rounds"][0].update(closed_at="2025-03-01T00:00:00+00:00"),
            "checkin_rounds[0].closed_at: must not be before opened_at",
        ),
    ],
)
def test_each_problem_of_a_record_2_names_its_path(mutate, expected):
    data = valid_record_2()
    mutate(data)
    errors = errors_of(data)
    assert len(errors) == 1, errors
    assert errors[0].startswith(expected)
