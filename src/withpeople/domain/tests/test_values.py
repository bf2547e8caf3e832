"""The values figures of a piece of work, from its record, with no database."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withpeople.domain.values import (
    chairs_include_partner,
    days_to_feedback,
    held_while_member,
    lower_median,
    membership_by_year,
    percent,
    time_recognised_percent,
    work_values,
)
from withpeople.domain.work_record import (
    Activity,
    Decision,
    Person,
    WorkRecord,
    parse_work_record,
)

PEOPLE = [
    {"ref": "lived", "perspective": "lived_experience"},
    {"ref": "carer", "perspective": "carer"},
    {"ref": "front", "perspective": "frontline_staff"},
    {"ref": "back", "perspective": "back_office_staff"},
]


def record(
    *,
    places: list[list[str]] | None = None,
    people: list[dict[str, str]] | None = None,
    decisions: list[tuple[str, str | None]] | None = None,
) -> WorkRecord:
    return parse_work_record(
        {
            "format": "withpeople.work/1",
            "title": "T",
            "level": "strategic",
            "aspects": [{"key": "a", "name": "A", "intended_rung": "co-production"}],
            "people": PEOPLE if people is None else people,
            "activities": [
                {"aspect": "a", "date": "2025-01-01", "kind": "meeting", "participants": who}
                for who in (places or [])
            ],
            "decisions": [
                {
                    "aspect": "a",
                    "date": date,
                    "summary": "S",
                    "decided_by": "jointly",
                    "feedback_given_on": told,
                }
                for date, told in (decisions or [])
            ],
        }
    )


@pytest.mark.parametrize(
    ("places", "expected"),
    [
        ([], None),
        ([[]], None),
        ([["lived"]], 100.0),
        ([["front"]], 0.0),
        ([["lived", "front"]], 50.0),
        ([["lived", "carer", "front"]], 66.7),
        ([["lived", "front", "back"]], 33.3),
        # 1 of 8 places = 12.5%, 1 of 6 = 16.666...%: both halves and thirds round as people do.
        ([["lived", "front", "back"], ["front", "back"], ["front", "back"], ["front"]], 12.5),
        ([["lived", "front", "back"], ["front", "back"], ["front"]], 16.7),
        # Places are counted per activity: the same partner at two activities is two places.
        ([["lived", "front"], ["lived"]], 66.7),
    ],
)
def test_partner_share_of_places(places, expected):
    assert work_values(record(places=places))["partner_share_percent"] == expected


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ({}, False),
        ({"front": "chair"}, False),
        ({"back": "co_chair", "front": "chair"}, False),
        ({"lived": "chair"}, True),
        ({"carer": "co_chair"}, True),
        ({"lived": "member", "front": "chair"}, False),
    ],
)
def test_partner_chairs(roles, expected):
    people = [
        person | ({"role": roles[person["ref"]]} if person["ref"] in roles else {})
        for person in PEOPLE
    ]
    assert work_values(record(people=people))["partner_chairs"] is expected


def test_people_without_a_role_are_members():
    assert work_values(record(people=PEOPLE))["partner_chairs"] is False


@pytest.mark.parametrize(
    ("decisions", "median", "without"),
    [
        ([], None, 0),
        ([("2025-01-01", None)], None, 1),
        ([("2025-01-01", "2025-01-01")], 0, 0),
        ([("2025-01-01", "2025-01-11")], 10, 0),
        # Two: the lower of the two, not their average (4 and 10 give 4, not 7).
        ([("2025-01-01", "2025-01-11"), ("2025-01-01", "2025-01-05")], 4, 0),
        ([("2025-01-01", "2025-01-02"), ("2025-01-01", "2025-01-31"), ("2025-01-01", None)], 1, 1),
        (
            [
                ("2025-01-31", "2025-03-01"),
                ("2025-01-01", "2025-01-04"),
                ("2025-02-01", "2025-02-08"),
            ],
            7,
            0,
        ),
    ],
)
def test_feedback_figures(decisions, median, without):
    values = work_values(record(decisions=decisions))
    assert values["median_days_to_feedback"] == median
    assert values["decisions_without_feedback"] == without


def test_work_values_has_exactly_the_published_keys_and_is_json():
    values = work_values(record(places=[["lived", "front"]], decisions=[("2025-01-01", None)]))
    assert values == {
        "partner_share_percent": 50.0,
        "partner_chairs": False,
        "median_days_to_feedback": None,
        "decisions_without_feedback": 1,
    }
    assert json.loads(json.dumps(values)) == values


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (0, 0, None),
        (0, 3, 0.0),
        (1, 8, 12.5),
        (1, 3, 33.3),
        (2, 3, 66.7),
        (49, 400, 12.3),  # 12.25: half rounds up
        (Decimal("7.5"), 10, 75.0),
        (3, 3, 100.0),
    ],
)
def test_percent(part, whole, expected):
    assert percent(part, whole) == expected


def test_time_recognised_percent_takes_plain_hours():
    assert time_recognised_percent(Decimal("12.5"), Decimal("50")) == 25.0
    assert time_recognised_percent(0, 0) is None


def test_lower_median_and_days():
    assert lower_median([]) is None
    assert lower_median([5, 1, 3, 9]) == 3
    assert days_to_feedback(
        [(dt.date(2025, 1, 1), None), (dt.date(2025, 1, 1), dt.date(2025, 2, 1))]
    ) == [31]


def test_chairs_include_partner_from_pairs():
    assert chairs_include_partner([("carer", "co_chair")])
    assert not chairs_include_partner([("manager", "chair"), ("carer", "member")])


# --- Properties ---------------------------------------------------------------------------------

perspectives = st.sampled_from(
    ["lived_experience", "carer", "frontline_staff", "back_office_staff", "manager"]
)
roles = st.sampled_from(["chair", "co_chair", "member"])


@st.composite
def records(draw) -> WorkRecord:
    people = draw(st.lists(st.tuples(perspectives, roles), max_size=8))
    refs = [f"p{n}" for n in range(len(people))]
    activities = draw(
        st.lists(
            st.lists(st.sampled_from(refs), unique=True) if refs else st.just([]),
            max_size=6,
        )
    )
    base = dt.date(2025, 1, 1)
    decisions = draw(
        st.lists(
            st.tuples(st.integers(0, 300), st.one_of(st.none(), st.integers(0, 120))), max_size=8
        )
    )
    return WorkRecord(
        title="T",
        level="strategic",
        people=tuple(
            Person(ref=ref, perspective=p, role=r) for ref, (p, r) in zip(refs, people, strict=True)
        ),
        activities=tuple(
            Activity(aspect="a", date=base, kind="meeting", participants=tuple(who))
            for who in activities
        ),
        decisions=tuple(
            Decision(
                aspect="a",
                date=base + dt.timedelta(days=start),
                summary="S",
                decided_by="jointly",
                feedback_given_on=None if wait is None else base + dt.timedelta(days=start + wait),
            )
            for start, wait in decisions
        ),
    )


@given(records())
def test_values_stay_within_their_bounds(work: WorkRecord):
    values: dict[str, Any] = work_values(work)
    share = values["partner_share_percent"]
    places = sum(len(a.participants) for a in work.activities)
    if places == 0:
        assert share is None
    else:
        assert 0.0 <= share <= 100.0
        assert share == round(share, 1)
    told = [d for d in work.decisions if d.feedback_given_on is not None]
    assert values["decisions_without_feedback"] == len(work.decisions) - len(told)
    if told:
        waits = [(d.feedback_given_on - d.date).days for d in told]
        assert values["median_days_to_feedback"] in waits
        # At least half the waits are no longer than the lower median.
        assert sum(w <= values["median_days_to_feedback"] for w in waits) * 2 >= len(waits)
    else:
        assert values["median_days_to_feedback"] is None
    assert values["partner_chairs"] == any(
        p.is_partner and p.role in {"chair", "co_chair"} for p in work.people
    )


@given(records())
def test_adding_a_partner_place_never_lowers_the_share(work: WorkRecord):
    partner = Person(ref="extra", perspective="carer")
    before = work_values(work)["partner_share_percent"]
    more = WorkRecord(
        title=work.title,
        level=work.level,
        people=(*work.people, partner),
        activities=(
            *work.activities,
            Activity(aspect="a", date=dt.date(2025, 1, 1), kind="meeting", participants=("extra",)),
        ),
        decisions=work.decisions,
    )
    after = work_values(more)["partner_share_percent"]
    assert after is not None and after > 0
    assert before is None or after >= before


# --- A long-term relationship -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("joined", "left", "expected"),
    [
        (dt.date(2025, 1, 1), None, 3),
        (dt.date(2025, 2, 1), None, 2),
        (dt.date(2025, 2, 2), None, 1),
        (dt.date(2025, 1, 1), dt.date(2025, 2, 1), 2),
        (dt.date(2025, 1, 2), dt.date(2025, 1, 31), 0),
    ],
)
def test_held_while_member_counts_both_end_days(joined, left, expected):
    dates = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
    assert held_while_member(dates, joined, left) == expected


def test_attending_before_the_recorded_join_date_counts_from_then():
    dates = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
    assert held_while_member(dates, dt.date(2025, 6, 1), None, [dt.date(2025, 2, 1)]) == 2
    assert held_while_member(dates, dt.date(2025, 1, 1), None, [dt.date(2025, 2, 1)]) == 3


def test_membership_by_year():
    periods = [
        (dt.date(2023, 5, 1), None),
        (dt.date(2023, 6, 1), dt.date(2024, 3, 1)),
        (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        (dt.date(2025, 2, 1), None),
    ]
    assert membership_by_year(periods, today=dt.date(2025, 6, 30)) == [
        {"year": 2023, "joined": 2, "left": 0, "at_end": 2},
        {"year": 2024, "joined": 1, "left": 2, "at_end": 1},
        {"year": 2025, "joined": 1, "left": 0, "at_end": 2},
    ]
    assert membership_by_year([], today=dt.date(2025, 1, 1)) == []


@given(st.lists(st.integers(min_value=0, max_value=400), max_size=40))
def test_the_lower_median_of_counts_is_the_lower_median_of_the_values(waits):
    from collections import Counter

    from withpeople.domain.values import lower_median, lower_median_of_counts

    assert lower_median_of_counts(Counter(waits)) == lower_median(waits)
