"""Reading and writing the portable work record, ``withpeople.work/1``."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withpeople.domain.ladder import PERSPECTIVE_SLUGS, RUNG_SLUGS, TOP
from withpeople.domain.work_record import (
    DECIDERS,
    FORMAT,
    PARTNER_PARTS,
    REASON_CATEGORIES,
    ROLES,
    Activity,
    AspectPlan,
    CheckIn,
    Decision,
    Person,
    Reason,
    WorkRecord,
    WorkRecordInvalid,
    parse_work_record,
    parse_work_record_json,
    work_record_to_dict,
)


def valid_record() -> dict[str, Any]:
    """A small record that uses every part of the format."""
    return {
        "format": FORMAT,
        "title": "Carers' strategy",
        "summary": "Our five-year strategy for carers.",
        "level": "strategic",
        "aspects": [
            {"key": "design", "name": "Designing options", "intended_rung": "co-production"},
            {
                "key": "deciding",
                "name": "Deciding",
                "intended_rung": "engagement",
                "reason": {
                    "category": "statutory_decision",
                    "explanation": "The council's cabinet must take the final decision.",
                },
            },
        ],
        "people": [
            {"ref": "p1", "perspective": "carer", "role": "chair"},
            {"ref": "p2", "perspective": "lived_experience"},
            {"ref": "s1", "perspective": "frontline_staff"},
            {"ref": "s2", "perspective": "back_office_staff"},
        ],
        "activities": [
            {
                "aspect": "design",
                "date": "2025-02-01",
                "kind": "workshop",
                "participants": ["p1", "s1"],
                "views_sought": True,
                "partners_generated_options": True,
            },
            {"aspect": "deciding", "date": "2025-02-10", "kind": "meeting", "participants": []},
        ],
        "decisions": [
            {
                "aspect": "design",
                "date": "2025-03-01",
                "summary": "We chose option B.",
                "decided_by": "jointly",
                "feedback_given_on": "2025-03-05",
            },
            {
                "aspect": "deciding",
                "date": "2025-03-01",
                "summary": "Cabinet agreed the budget.",
                "decided_by": "organisation_after_views",
                "partner_input_changed_it": True,
                "change": "More respite care.",
                "feedback_given_on": None,
            },
        ],
        "checkins": [{"aspect": "design", "perspective": "carer", "rung": "co-design"}],
    }


def errors_of(data: object) -> list[str]:
    with pytest.raises(WorkRecordInvalid) as raised:
        parse_work_record(data)
    return raised.value.errors


# --- A valid record ----------------------------------------------------------------------------


def test_a_valid_record_is_read_into_dataclasses():
    record = parse_work_record(valid_record())
    assert record.title == "Carers' strategy"
    assert record.level == "strategic"
    assert record.aspects[0] == AspectPlan("design", "Designing options", "co-production")
    assert record.aspects[1].reason == Reason(
        "statutory_decision", "The council's cabinet must take the final decision."
    )
    assert record.people[0] == Person("p1", "carer", "chair")
    assert record.people[0].is_partner
    assert not record.people[2].is_partner
    assert record.activities[0] == Activity(
        aspect="design",
        date=dt.date(2025, 2, 1),
        kind="workshop",
        participants=("p1", "s1"),
        views_sought=True,
        partners_generated_options=True,
    )
    assert record.decisions[0].feedback_given_on == dt.date(2025, 3, 5)
    assert record.decisions[1].change == "More respite care."
    assert record.checkins == (CheckIn("design", "carer", "co-design"),)


def test_left_out_fields_take_their_defaults():
    data = {
        "format": FORMAT,
        "title": "T",
        "level": "individual",
        "aspects": [{"key": "a", "name": "A", "intended_rung": "co-production"}],
        "people": [{"ref": "p1", "perspective": "carer"}],
        "activities": [{"aspect": "a", "date": "2025-01-01", "kind": "meeting"}],
        "decisions": [
            {"aspect": "a", "date": "2025-01-02", "summary": "S", "decided_by": "partners"}
        ],
    }
    record = parse_work_record(data)
    assert record.summary == ""
    assert record.checkins == ()
    assert record.people[0].role == "member"
    assert record.aspects[0].reason is None
    activity = record.activities[0]
    assert activity.participants == ()
    assert not any(getattr(activity, part) for part in PARTNER_PARTS)
    decision = record.decisions[0]
    assert decision.partner_input_changed_it is False
    assert decision.change == ""
    assert decision.feedback_given_on is None


def test_only_format_title_and_level_are_needed():
    record = parse_work_record({"format": FORMAT, "title": "T", "level": "strategic"})
    assert record == WorkRecord(title="T", level="strategic")


def test_to_dict_gives_every_field_with_defaults_filled():
    data = work_record_to_dict(
        parse_work_record({"format": FORMAT, "title": "T", "level": "strategic"})
    )
    assert data == {
        "format": FORMAT,
        "title": "T",
        "summary": "",
        "level": "strategic",
        "aspects": [],
        "people": [],
        "activities": [],
        "decisions": [],
        "checkins": [],
    }
    full = work_record_to_dict(parse_work_record(valid_record()))
    assert full["aspects"][0]["reason"] is None
    assert full["people"][1]["role"] == "member"
    assert set(full["activities"][1]) == {"aspect", "date", "kind", "participants", *PARTNER_PARTS}
    assert full["decisions"][0] == {
        "aspect": "design",
        "date": "2025-03-01",
        "summary": "We chose option B.",
        "decided_by": "jointly",
        "partner_input_changed_it": False,
        "change": "",
        "feedback_given_on": "2025-03-05",
    }
    assert json.loads(json.dumps(full)) == full


def test_import_then_export_round_trips_a_hand_written_record():
    record = parse_work_record(valid_record())
    exported = work_record_to_dict(record)
    assert parse_work_record(exported) == record
    assert work_record_to_dict(parse_work_record(exported)) == exported


# --- Every problem, one line each --------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], object]


def _set(path: str, value: object) -> Mutation:
    """Set a value at a dotted path such as "activities.0.date"."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


def _delete(path: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]

    return mutate


def _append(name: str, item: object) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data[name].append(item)

    return mutate


INVALID: list[tuple[str, Mutation, str]] = [
    # format, title, summary, level
    (
        "wrong format",
        _set("format", "withpeople.work/3"),
        'format: must be "withpeople.work/2" or "withpeople.work/1"',
    ),
    ("missing format", _delete("format"), 'format: must be "withpeople.work/2"'),
    ("missing title", _delete("title"), "title: is required"),
    ("blank title", _set("title", "   "), "title: must not be blank"),
    ("title not text", _set("title", 12), "title: must be text, not 12"),
    ("summary not text", _set("summary", None), "summary: must be text, not null"),
    ("missing level", _delete("level"), "level: is required; use one of: strategic"),
    ("unknown level", _set("level", "national"), 'level: unknown level "national"'),
    ("unknown top field", _set("titel", "x"), 'titel: unknown field (did you mean "title"?)'),
    # lists and items
    ("aspects not a list", _set("aspects", {}), "aspects: must be a list (use [] for none)"),
    ("people null", _set("people", None), "people: must be a list (use [] for none), not null"),
    ("item not an object", _append("checkins", "design"), "checkins[1]: must be an object"),
    # aspects
    (
        "aspect key not a slug",
        _set("aspects.0.key", "Design Options"),
        'aspects[0].key: "Design Options" is not a slug',
    ),
    ("aspect key blank", _set("aspects.0.key", ""), "aspects[0].key: must not be blank"),
    (
        "aspect key too long",
        _set("aspects.0.key", "a" * 51),
        f'aspects[0].key: "{"a" * 36}... is not a slug',
    ),
    (
        "duplicate aspect key",
        _set("aspects.1.key", "design"),
        'aspects[1].key: "design" is already the key of aspects[0]',
    ),
    ("missing aspect name", _delete("aspects.0.name"), "aspects[0].name: is required"),
    (
        "unknown rung",
        _set("aspects.0.intended_rung", "codesign"),
        'aspects[0].intended_rung: unknown rung "codesign" (did you mean "co-design"?)',
    ),
    (
        "missing intended rung",
        _delete("aspects.0.intended_rung"),
        "aspects[0].intended_rung: is required; use one of: coercion",
    ),
    (
        "step down without a reason",
        _set("aspects.1.reason", None),
        "aspects[1].reason: a step down from co-production needs a reason",
    ),
    (
        "step down with the reason left out",
        _delete("aspects.1.reason"),
        "aspects[1].reason: a step down from co-production needs a reason",
    ),
    (
        "reason for co-production",
        _set(
            "aspects.0.reason",
            {"category": "other", "explanation": "Just because we would rather not."},
        ),
        "aspects[0].reason: only a step down from co-production needs a reason; remove it",
    ),
    (
        "reason not an object",
        _set("aspects.1.reason", "statutory"),
        "aspects[1].reason: must be an object with a category and an explanation, or null",
    ),
    (
        "unknown reason category",
        _set("aspects.1.reason.category", "legal"),
        'aspects[1].reason.category: unknown reason category "legal" (did you mean',
    ),
    (
        "blank explanation",
        _set("aspects.1.reason.explanation", " "),
        "aspects[1].reason.explanation: must not be blank",
    ),
    (
        "missing explanation",
        _delete("aspects.1.reason.explanation"),
        "aspects[1].reason.explanation: is required",
    ),
    # people
    (
        "duplicate person ref",
        _set("people.3.ref", "p1"),
        'people[3].ref: "p1" is already the ref of people[0]',
    ),
    ("missing ref", _delete("people.3.ref"), "people[3].ref: is required"),
    (
        "unknown perspective",
        _set("people.3.perspective", "nurse"),
        'people[3].perspective: unknown perspective "nurse"',
    ),
    ("unknown role", _set("people.0.role", "boss"), 'people[0].role: unknown role "boss"'),
    # activities
    (
        "unknown aspect of an activity",
        _set("activities.1.aspect", "desing"),
        'activities[1].aspect: unknown aspect "desing" (did you mean "design"?)',
    ),
    (
        "activity without aspect",
        _delete("activities.1.aspect"),
        "activities[1].aspect: is required",
    ),
    (
        "not a real date",
        _set("activities.0.date", "2025-02-30"),
        'activities[0].date: "2025-02-30" is not a real date (use YYYY-MM-DD)',
    ),
    (
        "date in another form",
        _set("activities.0.date", "01/02/2025"),
        'activities[0].date: "01/02/2025" is not a date written as YYYY-MM-DD',
    ),
    (
        "compact ISO date",
        _set("activities.0.date", "20250201"),
        'activities[0].date: "20250201" is not a date written as YYYY-MM-DD',
    ),
    ("missing date", _delete("activities.0.date"), "activities[0].date: is required"),
    ("missing kind", _delete("activities.0.kind"), "activities[0].kind: is required"),
    (
        "unknown participant",
        _set("activities.1.participants", ["p9"]),
        'activities[1].participants[0]: unknown person "p9"',
    ),
    (
        "participant twice",
        _set("activities.0.participants", ["p1", "p1"]),
        'activities[0].participants[1]: "p1" is listed twice',
    ),
    (
        "participant not text",
        _set("activities.0.participants", [1]),
        "activities[0].participants[0]: must be a person's ref from people, not 1",
    ),
    (
        "participants not a list",
        _set("activities.0.participants", "p1"),
        "activities[0].participants: must be a list",
    ),
    (
        "boolean as text",
        _set("activities.0.views_sought", "yes"),
        "activities[0].views_sought: must be true or false",
    ),
    (
        "boolean as number",
        _set("activities.0.partners_delivered", 1),
        "activities[0].partners_delivered: must be true or false",
    ),
    (
        "boolean as null",
        _set("activities.0.explained_services", None),
        "activities[0].explained_services: must be true or false",
    ),
    (
        "misspelt field",
        _set("activities.0.views_saught", True),
        'activities[0].views_saught: unknown field (did you mean "views_sought"?)',
    ),
    # decisions
    (
        "unknown decider",
        _set("decisions.0.decided_by", "board"),
        'decisions[0].decided_by: unknown decider "board"',
    ),
    (
        "feedback before the decision",
        _set("decisions.0.feedback_given_on", "2025-02-28"),
        "decisions[0].feedback_given_on: must not be before the decision date 2025-03-01",
    ),
    (
        "feedback not a real date",
        _set("decisions.0.feedback_given_on", "2025-13-01"),
        'decisions[0].feedback_given_on: "2025-13-01" is not a real date (use YYYY-MM-DD)',
    ),
    ("missing summary", _delete("decisions.0.summary"), "decisions[0].summary: is required"),
    (
        "changed not a boolean",
        _set("decisions.0.partner_input_changed_it", "no"),
        "decisions[0].partner_input_changed_it: must be true or false",
    ),
    ("change not text", _set("decisions.1.change", 3), "decisions[1].change: must be text"),
    (
        "unknown aspect of a decision",
        _set("decisions.0.aspect", "review"),
        'decisions[0].aspect: unknown aspect "review"',
    ),
    # check-ins
    (
        "unknown check-in rung",
        _set("checkins.0.rung", "top"),
        'checkins[0].rung: unknown rung "top"',
    ),
    (
        "unknown check-in perspective",
        _set("checkins.0.perspective", "nurse"),
        'checkins[0].perspective: unknown perspective "nurse"',
    ),
    (
        "unknown check-in aspect",
        _set("checkins.0.aspect", "x"),
        'checkins[0].aspect: unknown aspect "x"',
    ),
    # The NUL character, which PostgreSQL cannot store, in any text
    ("NUL in the title", _set("title", "Carers\x00"), "title: must not contain the NUL"),
    ("NUL in the summary", _set("summary", "\x00"), "summary: must not contain the NUL"),
    ("NUL in a name", _set("aspects.0.name", "A\x00B"), "aspects[0].name: must not contain"),
    (
        "NUL in a reason",
        _set("aspects.1.reason.explanation", "\x00"),
        "aspects[1].reason.explanation: must not contain the NUL",
    ),
    ("NUL in a kind", _set("activities.1.kind", "drop\x00in"), "activities[1].kind: must not"),
    ("NUL in a summary", _set("decisions.0.summary", "\x00"), "decisions[0].summary: must not"),
    ("NUL in a change", _set("decisions.1.change", "x\x00"), "decisions[1].change: must not"),
    ("NUL in a ref", _set("people.3.ref", "s2\x00"), "people[3].ref: must not contain the NUL"),
    (
        "NUL in a field name",
        _set("checkins.0.\x00", True),
        "checkins[0].\\u0000: unknown field",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [pytest.param(mutate, expected, id=name) for name, mutate, expected in INVALID],
)
def test_each_problem_is_reported_once_with_its_path(mutate, expected):
    data = valid_record()
    mutate(data)
    errors = errors_of(data)
    assert errors[0].startswith(expected), errors[0]
    # A broken list of aspects or people, or a changed key, also leaves references to them
    # unknown; anything else is reported exactly once.
    assert all(" unknown aspect " in e or " unknown person " in e for e in errors[1:]), errors


def test_every_message_says_how_to_fix_it_or_what_is_allowed():
    for _name, mutate, _expected in INVALID:
        data = valid_record()
        mutate(data)
        error = errors_of(data)[0]
        path, message = error.split(": ", 1)
        assert path
        assert len(message.split()) >= 3, error


def test_all_problems_are_reported_together_in_document_order():
    data = valid_record()
    data["format"] = "x"
    data["activities"][1]["aspect"] = "desing"
    data["activities"][0]["date"] = "2025-02-30"
    data["people"][3]["perspective"] = "nurse"
    data["decisions"][0]["feedback_given_on"] = "2025-02-01"
    errors = errors_of(data)
    assert [error.split(":")[0] for error in errors] == [
        "format",
        "people[3].perspective",
        "activities[0].date",
        "activities[1].aspect",
        "decisions[0].feedback_given_on",
    ]
    assert str(WorkRecordInvalid(errors)) == "\n".join(errors)


def test_a_reference_to_a_malformed_aspect_key_is_not_reported_twice():
    data = valid_record()
    data["aspects"][0]["key"] = "Design"
    for item in (*data["activities"], *data["decisions"], *data["checkins"]):
        if item["aspect"] == "design":
            item["aspect"] = "Design"
    errors = errors_of(data)
    assert len(errors) == 1
    assert errors[0].startswith('aspects[0].key: "Design" is not a slug')
    assert 'such as "design"' in errors[0]


def test_a_person_with_an_unknown_perspective_can_still_be_referred_to():
    data = valid_record()
    data["people"][0]["perspective"] = "nurse"
    assert len(errors_of(data)) == 1


def test_an_unknown_intended_rung_does_not_also_judge_the_reason():
    data = valid_record()
    data["aspects"][1]["intended_rung"] = "middle"
    assert len(errors_of(data)) == 1


@pytest.mark.parametrize("data", [[], "record", None, 3])
def test_the_record_must_be_an_object(data):
    (error,) = errors_of(data)
    assert error.startswith("record: must be a JSON object")


def _json_errors(text: str | bytes) -> list[str]:
    with pytest.raises(WorkRecordInvalid) as raised:
        parse_work_record_json(text)
    return raised.value.errors


def test_a_record_is_read_from_json_text_or_bytes():
    text = json.dumps(valid_record())
    assert parse_work_record_json(text) == parse_work_record(valid_record())
    assert parse_work_record_json(text.encode("utf-16")) == parse_work_record(valid_record())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not json", "record: is not valid JSON (Expecting value: line 1 column 1 (char 0));"),
        (b"\xff\xfe\xfd", "record: is not valid JSON ("),
        ("[]", "record: must be a JSON object with format, title and level, not a list"),
        ('"x"', 'record: must be a JSON object with format, title and level, not "x"'),
        # Far deeper than Python's JSON reader goes, which would otherwise be RecursionError.
        ("[" * 100_000 + "]" * 100_000, "record: is nested too deeply to read;"),
        ('{"title": ' + "[" * 5000 + "]" * 5000 + "}", "record: is nested too deeply to read;"),
    ],
)
def test_json_that_is_not_a_record_gets_one_clear_line(text, expected):
    (error,) = _json_errors(text)
    assert error.startswith(expected), error


def test_the_input_is_not_changed():
    data = valid_record()
    before = copy.deepcopy(data)
    parse_work_record(data)
    assert data == before


def test_every_reason_category_decider_and_role_is_accepted():
    for category in REASON_CATEGORIES:
        data = valid_record()
        data["aspects"][1]["reason"]["category"] = category
        assert parse_work_record(data).aspects[1].reason.category == category
    for decider in DECIDERS:
        data = valid_record()
        data["decisions"][0]["decided_by"] = decider
        assert parse_work_record(data).decisions[0].decided_by == decider
    for role in ROLES:
        data = valid_record()
        data["people"][0]["role"] = role
        assert parse_work_record(data).people[0].role == role


def test_feedback_on_the_day_of_the_decision_is_fine():
    data = valid_record()
    data["decisions"][0]["feedback_given_on"] = data["decisions"][0]["date"]
    parse_work_record(data)


# --- Round trip, for any valid record ----------------------------------------------------------

#: Any text but NUL, which the format refuses.
no_nul = st.characters(exclude_characters="\x00")
any_text = st.text(alphabet=no_nul, max_size=20)
texts = st.text(alphabet=no_nul, min_size=1, max_size=12).filter(lambda text: text.strip() != "")
slugs = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True)
#: The day the round trip is checked on, so that any date up to it is evidence.
TODAY = dt.date(2026, 12, 6)
#: Dates evidence may have: from twenty years before `TODAY` up to it.
dates = st.dates(min_value=dt.date(2006, 12, 6), max_value=TODAY)
#: Text long enough to explain a step down, or how partners changed a decision.
explanations = st.builds(lambda text: "The council must decide " + text, any_text)


@st.composite
def aspect_plans(draw: st.DrawFn, key: str) -> AspectPlan:
    intended = draw(st.sampled_from(RUNG_SLUGS))
    reason = None
    if intended != TOP.slug:
        reason = Reason(draw(st.sampled_from(tuple(REASON_CATEGORIES))), draw(explanations))
    return AspectPlan(key=key, name=draw(texts), intended_rung=intended, reason=reason)


@st.composite
def activities(draw: st.DrawFn, keys: list[str], refs: list[str]) -> Activity:
    participants = draw(st.lists(st.sampled_from(refs), unique=True)) if refs else []
    return Activity(
        aspect=draw(st.sampled_from(keys)),
        date=draw(dates),
        kind=draw(texts),
        participants=tuple(participants),
        **{part: draw(st.booleans()) for part in PARTNER_PARTS},
    )


@st.composite
def decisions(draw: st.DrawFn, keys: list[str]) -> Decision:
    date = draw(dates)
    feedback = draw(
        st.none() | st.integers(0, 60).map(lambda days: min(date + dt.timedelta(days), TODAY))
    )
    changed = draw(st.booleans())
    return Decision(
        aspect=draw(st.sampled_from(keys)),
        date=date,
        summary=draw(texts),
        decided_by=draw(st.sampled_from(tuple(DECIDERS))),
        partner_input_changed_it=changed,
        # A record may hold a change text for an unchanged decision: reading keeps it, and
        # saving it clears it (see the works services).
        change=draw(explanations if changed else any_text),
        feedback_given_on=feedback,
    )


@st.composite
def work_records(draw: st.DrawFn) -> WorkRecord:
    keys = draw(st.lists(slugs, min_size=1, max_size=4, unique=True))
    refs = draw(st.lists(texts, max_size=6, unique=True))
    checkins = st.builds(
        CheckIn,
        aspect=st.sampled_from(keys),
        perspective=st.sampled_from(PERSPECTIVE_SLUGS),
        rung=st.sampled_from(RUNG_SLUGS),
    )
    return WorkRecord(
        title=draw(texts),
        level=draw(st.sampled_from(["strategic", "service_design", "individual"])),
        summary=draw(any_text),
        aspects=tuple(draw(aspect_plans(key)) for key in keys),
        people=tuple(
            Person(
                ref, draw(st.sampled_from(PERSPECTIVE_SLUGS)), draw(st.sampled_from(tuple(ROLES)))
            )
            for ref in refs
        ),
        activities=tuple(draw(st.lists(activities(keys, refs), max_size=6))),
        decisions=tuple(draw(st.lists(decisions(keys), max_size=6))),
        checkins=tuple(draw(st.lists(checkins, max_size=6))),
    )


@given(work_records())
def test_parse_to_dict_parse_is_the_same_record(record):
    exported = work_record_to_dict(record)
    assert parse_work_record(exported, today=TODAY) == record
    assert parse_work_record(json.loads(json.dumps(exported)), today=TODAY) == record
    assert work_record_to_dict(parse_work_record(exported, today=TODAY)) == exported


def test_check_ins_from_counts_make_one_object_per_kind_of_answer_not_per_answer():
    from withpeople.domain.work_record import checkins_from_counts

    counts = {
        ("designing", "carer", "co-production"): 50_000,
        ("designing", "manager", "informing"): 30_000,
    }
    checkins = checkins_from_counts(counts, ["designing"])
    assert len(checkins) == 80_000
    assert checkins[0].perspective == "carer"
    assert checkins[-1].rung == "informing"
    assert len({id(checkin) for checkin in checkins}) == 2
