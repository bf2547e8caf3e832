"""The assessment: perceived rungs, every flag, the output structure, and speed."""

from __future__ import annotations

import json
import random
import statistics
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withpeople.domain.assessment import (
    ASPECT_FLAGS,
    FORMAT,
    WORK_FLAGS,
    assess,
    is_overclaim,
    lower_median,
    perceived_by_group,
    perceived_rung,
)
from withpeople.domain.ladder import PERSPECTIVE_SLUGS, RUNG_BY_SLUG, RUNG_SLUGS
from withpeople.domain.work_record import (
    DECIDERS,
    PARTNER_PARTS,
    CheckIn,
    parse_work_record,
)

PEOPLE = [
    {"ref": "lived", "perspective": "lived_experience"},
    {"ref": "carer", "perspective": "carer"},
    {"ref": "front", "perspective": "frontline_staff"},
    {"ref": "back", "perspective": "back_office_staff"},
    {"ref": "manager", "perspective": "manager"},
]


def record(
    *,
    intended: str = "co-production",
    activities: list[dict[str, Any]] | None = None,
    decisions: list[dict[str, Any]] | None = None,
    checkins: list[tuple[str, str]] | None = None,
    people: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A one-aspect record, as JSON, with the staff present unless activities say otherwise."""
    reason = None
    if intended != "co-production":
        reason = {"category": "legal_duty", "explanation": "The law says the council decides."}
    return {
        "format": "withpeople.work/1",
        "title": "T",
        "level": "service_design",
        "aspects": [{"key": "a", "name": "A", "intended_rung": intended, "reason": reason}],
        "people": PEOPLE if people is None else people,
        "activities": ([activity(who=["front", "back"])] if activities is None else activities),
        "decisions": decisions or [],
        "checkins": [
            {"aspect": "a", "perspective": perspective, "rung": rung}
            for perspective, rung in (checkins or [])
        ],
    }


def activity(*parts: str, who: list[str] | None = None) -> dict[str, Any]:
    return {
        "aspect": "a",
        "date": "2025-03-01",
        "kind": "workshop",
        "participants": ["lived", "front", "back"] if who is None else who,
        **dict.fromkeys(parts, True),
    }


def decision(decided_by: str, *, changed: bool = False, feedback: bool = True) -> dict[str, Any]:
    return {
        "aspect": "a",
        "date": "2025-03-01",
        "summary": "S",
        "decided_by": decided_by,
        "partner_input_changed_it": changed,
        "change": "Partners added a second option." if changed else "",
        "feedback_given_on": "2025-03-02" if feedback else None,
    }


def staff(*rungs: str) -> list[tuple[str, str]]:
    return [("manager", rung) for rung in rungs]


def partners(*rungs: str) -> list[tuple[str, str]]:
    return [("lived_experience", rung) for rung in rungs]


def assessed(data: dict[str, Any]) -> dict[str, Any]:
    return assess(parse_work_record(data))["aspects"][0]


# Records on each evidenced rung, built from the rules.
ON = {
    None: {"activities": [activity(who=["front", "back"])]},
    "coercion": {"activities": [activity()]},
    "educating": {"activities": [activity("explained_services")]},
    "informing": {"activities": [activity("informed_of_decisions")]},
    "consultation": {"activities": [activity("views_sought")]},
    "engagement": {
        "activities": [activity("views_sought")],
        "decisions": [decision("organisation_after_views", changed=True)],
    },
    "co-design": {
        "activities": [activity("partners_generated_options")],
        "decisions": [decision("jointly")],
    },
    "co-production": {
        "activities": [
            activity("partners_generated_options", "partners_shaped_agenda", "partners_delivered")
        ],
        "decisions": [decision("partners")],
    },
}


@pytest.mark.parametrize("rung", ON)
def test_the_evidenced_rung_comes_from_the_rules(rung):
    assert assessed(record(**ON[rung]))["evidenced"] == rung


# --- Perceived ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rungs", "expected"),
    [
        (["consultation"], "consultation"),
        (["engagement", "informing"], "informing"),
        (["co-production", "coercion", "engagement"], "engagement"),
        (["co-design", "co-design", "informing", "co-production"], "co-design"),
        (["co-production", "coercion", "co-production", "coercion"], "coercion"),
        (["educating", "co-design", "consultation", "engagement", "informing"], "consultation"),
    ],
)
def test_lower_median_of_rungs_in_ladder_order(rungs, expected):
    assert lower_median(rungs) == expected


def test_the_lower_median_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        lower_median([])


@given(st.lists(st.sampled_from(RUNG_SLUGS), min_size=1))
def test_lower_median_is_the_answer_at_position_n_minus_1_over_2(rungs):
    median = lower_median(rungs)
    positions = sorted(RUNG_BY_SLUG[slug].position for slug in rungs)
    assert RUNG_BY_SLUG[median].position == positions[(len(rungs) - 1) // 2]
    assert RUNG_BY_SLUG[median].position == statistics.median_low(positions)
    assert median in rungs
    at_or_below = sum(RUNG_BY_SLUG[r].position <= RUNG_BY_SLUG[median].position for r in rungs)
    at_or_above = sum(RUNG_BY_SLUG[r].position >= RUNG_BY_SLUG[median].position for r in rungs)
    assert at_or_below >= (len(rungs) + 1) // 2
    assert at_or_above >= len(rungs) // 2 + 1


@given(st.lists(st.sampled_from(RUNG_SLUGS), max_size=8))
def test_fewer_than_three_check_ins_show_nothing(rungs):
    assert (perceived_rung(rungs) is None) == (len(rungs) < 3)


def test_check_ins_are_grouped_into_partners_and_staff():
    checkins = [
        CheckIn("a", "lived_experience", "co-production"),
        CheckIn("a", "carer", "consultation"),
        CheckIn("a", "carer", "engagement"),
        *(CheckIn("a", p, "co-design") for p in PERSPECTIVE_SLUGS[2:4]),
    ]
    assert perceived_by_group(checkins) == {"partners": "engagement", "staff": None}


def test_perceived_in_the_assessment_counts_only_the_aspects_own_check_ins():
    data = record(checkins=staff("co-design", "co-design") + partners("informing") * 3)
    data["aspects"].append({"key": "b", "name": "B", "intended_rung": "co-production"})
    data["checkins"].append({"aspect": "b", "perspective": "manager", "rung": "co-design"})
    assert assessed(data)["perceived"] == {"partners": "informing", "staff": None}


# --- Aspect flags ------------------------------------------------------------------------------

FLAG_CASES = [
    # (name, record, flags)
    ("no evidence", record(**ON[None]), ["no_evidence"]),
    ("on plan at the top", record(**ON["co-production"]), []),
    ("behind the plan", record(**ON["co-design"]), ["behind_plan"]),
    ("on a planned step down", record(intended="co-design", **ON["co-design"]), []),
    ("above a planned step down", record(intended="consultation", **ON["co-design"]), []),
    ("coercion is doing to", record(**ON["coercion"]), ["behind_plan", "doing_to"]),
    ("educating is doing to", record(**ON["educating"]), ["behind_plan", "doing_to"]),
    ("informing is not doing to", record(**ON["informing"]), ["behind_plan"]),
    (
        "staff see co-design, evidence engagement",
        record(**ON["engagement"], checkins=staff("co-design", "co-design", "co-production")),
        ["behind_plan", "overclaim"],
    ),
    (
        # No evidence is not a rung: it has its own flag, and nothing to compare with.
        "staff see co-production, no evidence",
        record(**ON[None], checkins=staff("co-production") * 3),
        ["no_evidence"],
    ),
    (
        "staff see co-production, evidence coercion",
        record(**ON["coercion"], checkins=staff("co-production") * 3),
        ["behind_plan", "doing_to", "overclaim"],
    ),
    (
        "staff see co-design, evidence co-design",
        record(**ON["co-design"], checkins=staff("co-design") * 3),
        ["behind_plan"],
    ),
    (
        "staff see engagement, evidence consultation",
        record(**ON["consultation"], checkins=staff("engagement") * 3),
        ["behind_plan"],
    ),
    (
        "only two staff check-ins",
        record(**ON["consultation"], checkins=staff("co-production") * 2),
        ["behind_plan"],
    ),
    (
        "partners and staff two rungs apart",
        record(
            **ON["co-design"],
            checkins=partners("consultation") * 3 + staff("co-design") * 3,
        ),
        ["behind_plan", "perception_gap"],
    ),
    (
        "partners and staff one rung apart",
        record(**ON["co-design"], checkins=partners("engagement") * 3 + staff("co-design") * 3),
        ["behind_plan"],
    ),
    (
        "partners too few to compare",
        record(**ON["co-design"], checkins=partners("coercion") * 2 + staff("co-design") * 3),
        ["behind_plan"],
    ),
    (
        "views heard, a decision with no feedback",
        record(
            activities=[activity("views_sought")],
            decisions=[decision("organisation_after_views", feedback=False)],
        ),
        ["behind_plan", "loop_not_closed"],
    ),
    (
        "views heard, every decision fed back",
        record(activities=[activity("views_sought")], decisions=[decision("organisation_alone")]),
        ["behind_plan"],
    ),
    (
        "no views, a decision with no feedback",
        record(
            activities=[activity("informed_of_decisions")],
            decisions=[decision("organisation_alone", feedback=False)],
        ),
        ["behind_plan"],
    ),
    (
        "everything at once",
        record(
            activities=[activity("views_sought", who=["lived"])],
            decisions=[decision("organisation_alone", feedback=False)],
            checkins=partners("coercion") * 3 + staff("co-production") * 3,
        ),
        ["behind_plan", "loop_not_closed", "overclaim", "perception_gap"],
    ),
]


@pytest.mark.parametrize(
    ("data", "flags"), [pytest.param(d, f, id=name) for name, d, f in FLAG_CASES]
)
def test_each_aspect_flag(data, flags):
    assert assessed(data)["flags"] == flags


@pytest.mark.parametrize("evidenced", [None, *RUNG_SLUGS])
@pytest.mark.parametrize("staff_view", [None, *RUNG_SLUGS])
def test_overclaim_is_exactly_staff_at_co_design_or_above_and_evidence_at_engagement_or_below(
    evidenced, staff_view
):
    # The definition: staff perceive co-design or higher while the evidence is engagement or
    # lower. No evidence and no staff view (fewer than 3 answers) are not rungs.
    expected = (
        evidenced is not None
        and staff_view is not None
        and RUNG_BY_SLUG[staff_view] >= RUNG_BY_SLUG["co-design"]
        and RUNG_BY_SLUG[evidenced] <= RUNG_BY_SLUG["engagement"]
    )
    assert is_overclaim(evidenced, staff_view) is expected


def test_no_evidence_is_not_also_behind_the_plan():
    assert assessed(record(**ON[None]))["flags"] == ["no_evidence"]


def test_every_aspect_flag_is_tested_and_described():
    raised = {flag for _name, data, flags in FLAG_CASES for flag in flags}
    assert raised == set(ASPECT_FLAGS)


# --- Work flags --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "flags"),
    [
        (["lived", "front", "back"], []),
        (["lived", "back"], ["no_frontline_staff"]),
        (["lived", "front"], ["no_back_office_staff"]),
        (["lived", "manager"], ["no_back_office_staff", "no_frontline_staff"]),
        ([], ["no_back_office_staff", "no_frontline_staff"]),
    ],
)
def test_work_flags_for_staff_who_took_part(who, flags):
    assert assess(parse_work_record(record(activities=[activity(who=who)])))["work"]["flags"] == (
        flags
    )


def test_staff_count_when_they_took_part_without_partners_in_another_aspect():
    data = record(activities=[activity(who=["lived"]), activity(who=["front", "back"])])
    assert assess(parse_work_record(data))["work"]["flags"] == []


def test_staff_listed_but_not_at_any_activity_do_not_count():
    data = record(activities=[activity(who=["lived"])])
    assert assess(parse_work_record(data))["work"]["flags"] == [
        "no_back_office_staff",
        "no_frontline_staff",
    ]


def test_flag_texts_are_short_titles_and_one_or_two_sentences():
    assert set(WORK_FLAGS) == {"no_frontline_staff", "no_back_office_staff"}
    for text in (*ASPECT_FLAGS.values(), *WORK_FLAGS.values()):
        assert 0 < len(text.title) <= 45
        assert not text.title.endswith(".")
        assert text.explanation.endswith(".")
        assert 1 <= text.explanation.count(". ") + 1 <= 2


# --- The structure -----------------------------------------------------------------------------


def test_the_assessment_has_exactly_the_published_structure():
    data = record(**ON["engagement"], checkins=staff("co-design") * 3)
    data["aspects"] = [
        {"key": "z", "name": "Z", "intended_rung": "co-production"},
        {"key": "a", "name": "A", "intended_rung": "co-production"},
    ]
    result = assess(parse_work_record(data))
    assert json.loads(json.dumps(result)) == result
    assert result["format"] == FORMAT == "withpeople.assessment/1"
    assert set(result) == {"format", "aspects", "work"}
    assert [aspect["key"] for aspect in result["aspects"]] == ["z", "a"]
    z, a = result["aspects"]
    assert z == {
        "key": "z",
        "intended": "co-production",
        "evidenced": None,
        "perceived": {"partners": None, "staff": None},
        "flags": ["no_evidence"],
        "why": z["why"],
    }
    assert a["evidenced"] == "engagement"
    assert a["perceived"] == {"partners": None, "staff": "co-design"}
    assert a["flags"] == ["behind_plan", "overclaim"]
    assert a["why"][0] == "Partners' views were sought at 1 activity."
    assert result["work"] == {
        "flags": [],
        "values": {
            "partner_share_percent": 33.3,
            "partner_chairs": False,
            "median_days_to_feedback": 1,
            "decisions_without_feedback": 0,
        },
    }


def test_an_empty_piece_of_work_assesses_cleanly():
    result = assess(
        parse_work_record({"format": "withpeople.work/1", "title": "T", "level": "individual"})
    )
    assert result == {
        "format": FORMAT,
        "aspects": [],
        "work": {
            "flags": ["no_back_office_staff", "no_frontline_staff"],
            "values": {
                "partner_share_percent": None,
                "partner_chairs": False,
                "median_days_to_feedback": None,
                "decisions_without_feedback": 0,
            },
        },
    }


# --- Speed -------------------------------------------------------------------------------------


def large_record(seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    keys = ["understanding", "designing", "deciding", "delivering", "reviewing"]
    refs = [f"p{n}" for n in range(200)]
    return {
        "format": "withpeople.work/1",
        "title": "Large",
        "level": "strategic",
        "aspects": [{"key": k, "name": k, "intended_rung": "co-production"} for k in keys],
        "people": [{"ref": r, "perspective": rng.choice(PERSPECTIVE_SLUGS)} for r in refs],
        "activities": [
            {
                "aspect": rng.choice(keys),
                "date": "2025-03-01",
                "kind": "workshop",
                "participants": rng.sample(refs, 10),
                **{part: rng.random() < 0.3 for part in PARTNER_PARTS},
            }
            for _ in range(1000)
        ],
        "decisions": [
            {
                "aspect": rng.choice(keys),
                "date": "2025-03-01",
                "summary": "S",
                "decided_by": rng.choice(list(DECIDERS)),
                "feedback_given_on": rng.choice([None, "2025-03-02"]),
            }
            for _ in range(1000)
        ],
        "checkins": [
            {"aspect": rng.choice(keys), "perspective": "carer", "rung": "co-design"}
            for _ in range(200)
        ],
    }


def test_a_large_record_is_read_and_assessed_well_under_a_second():
    data = json.loads(json.dumps(large_record()))
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        assess(parse_work_record(data))
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.5, timings
