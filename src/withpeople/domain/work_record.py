"""The portable record of a piece of work: the ``withpeople.work/1`` and ``/2`` JSON formats.

``/2`` carries everything the pages show (the work's status, dates and leads, people's names,
activities' titles and notes, check-in rounds, who recorded each entry and when, and withdrawn
entries with their reason) on top of everything in ``/1``; both are read, and `WorkRecord` holds
either. `work_record_to_dict` writes ``/1``, `work_record_to_dict_2` writes ``/2``.

A work record holds everything the evidence rules need: the aspects of a piece of work with their
intended rungs (and, for a step down from co-production, the reason, which forms the public
openness statement), the people who took part under pseudonyms local to the record, the
activities and decisions, and the anonymous check-ins.

Parsing is strict and reports every problem at once, one line each, starting with the JSON path
of the problem, so that someone fixing a file by hand can fix it in one go (principle 6, "bad
input gets a clear error and changes nothing"). Fields may be left out where the format gives a
default (booleans false, lists empty, text empty, ``reason`` and ``feedback_given_on`` null), but
``null`` is only accepted where the format allows it, and unknown fields are refused: a misspelt
``views_saught`` would otherwise silently count as false and lower the evidenced rung. Text may
not hold the NUL character, which PostgreSQL cannot store.

`parse_work_record_json` reads a record from its JSON text. The commands and the API both use
it, so a bad record gets the same messages everywhere, and JSON nested too deeply for Python to
read is a clear error rather than a crash.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from withpeople.domain import evidence_checks as checks
from withpeople.domain.input_text import refusal_words, refused_in
from withpeople.domain.ladder import PERSPECTIVE_SLUGS, RUNG_SLUGS, TOP, Level, is_partner
from withpeople.domain.text import N_

FORMAT = "withpeople.work/1"
FORMAT_2 = "withpeople.work/2"
#: The formats WithPeople reads, oldest first.
FORMATS: tuple[str, ...] = (FORMAT, FORMAT_2)

#: Where a piece of work is, as the piece of work page shows it.
STATUSES: dict[str, str] = {
    "planning": N_("Planning"),
    "in_progress": N_("In progress"),
    "finished": N_("Finished"),
    "paused": N_("Paused"),
}
DEFAULT_STATUS = "planning"

#: Why an aspect steps down from co-production. The categories follow TLAP's guidance that some
#: decisions cannot be shared: legal or regulatory duties (a regulator's rating), statutory
#: decisions, safeguarding and confidentiality, political mandates and emergencies.
REASON_CATEGORIES: dict[str, str] = {
    "legal_duty": N_("A legal or regulatory duty"),
    "statutory_decision": N_("A statutory decision"),
    "safeguarding": N_("Safeguarding or confidentiality"),
    "political_mandate": N_("A political mandate"),
    "emergency": N_("An emergency"),
    "other": N_("Another reason"),
}

#: Who made a decision, from the organisation on its own to partners.
DECIDERS: dict[str, str] = {
    "organisation_alone": N_("The organisation alone"),
    "organisation_after_views": N_("The organisation, after hearing partners' views"),
    "jointly": N_("Partners and the organisation jointly"),
    "partners": N_("Partners"),
}

#: Deciders that share power with partners; the evidence rules call such a decision "shared".
SHARED_DECIDERS: frozenset[str] = frozenset({"jointly", "partners"})

#: The part partners had in an activity: the six true-or-false fields of an activity, in ladder
#: order, with words that complete "At this activity, ...".
PARTNER_PARTS: dict[str, str] = {
    "explained_services": N_("services were explained to them"),
    "informed_of_decisions": N_("they were told of decisions"),
    "views_sought": N_("their views were sought"),
    "partners_shaped_agenda": N_("they shaped the agenda"),
    "partners_generated_options": N_("they generated options"),
    "partners_delivered": N_("they took on delivery"),
}

#: A person's role in the co-production group.
ROLES: dict[str, str] = {"chair": N_("Chair"), "co_chair": N_("Co-chair"), "member": N_("Member")}
DEFAULT_ROLE = "member"

LEVEL_SLUGS: tuple[str, ...] = tuple(level.value for level in Level)

#: Aspect keys are slugs, so they can appear in web addresses and match a Django ``SlugField``
#: (whose default maximum length is 50).
ASPECT_KEY_MAX_LENGTH = 50
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class WorkRecordInvalid(ValueError):
    """A work record that cannot be used. ``errors`` holds every problem, one line each."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class Reason:
    """Why an aspect steps down from co-production; published in the openness statement."""

    category: str
    explanation: str


@dataclass(frozen=True)
class AspectPlan:
    """An aspect of the piece of work and the rung it is meant to reach."""

    key: str
    name: str
    intended_rung: str
    reason: Reason | None = None


@dataclass(frozen=True)
class Person:
    """Someone in the group, known in the record by a ref local to it; in ``/2`` also by the
    name or pseudonym the group knows them by (``name``, empty in ``/1``)."""

    ref: str
    perspective: str
    role: str = DEFAULT_ROLE
    name: str = ""

    @property
    def is_partner(self) -> bool:
        return is_partner(self.perspective)


@dataclass(frozen=True)
class Someone:
    """Someone named in a ``/2`` record as a lead of the work, or as who recorded or withdrew an
    entry: by the name WithPeople shows, and by their ref when they are also among ``people``.
    A name read from a file grants nothing: rights come only from accounts."""

    name: str
    ref: str | None = None


@dataclass(frozen=True)
class Withdrawal:
    """An entry withdrawn rather than deleted: it stays in the record, and is not evidence."""

    at: dt.datetime
    reason: str
    by: Someone | None = None


@dataclass(frozen=True)
class CheckinRoundInfo:
    """A check-in round as the check-ins page lists it. Its answers are not here: only those of
    the last closed round are in the record, as its ``checkins``."""

    name: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None = None
    #: The last day people could answer, if the round was given one.
    closes_on: dt.date | None = None


@dataclass(frozen=True)
class Activity:
    """Something that happened with people, who took part and what part partners had."""

    aspect: str
    date: dt.date
    kind: str
    participants: tuple[str, ...] = ()
    explained_services: bool = False
    informed_of_decisions: bool = False
    views_sought: bool = False
    partners_shaped_agenda: bool = False
    partners_generated_options: bool = False
    partners_delivered: bool = False
    title: str = ""
    notes: str = ""
    recorded_by: Someone | None = None
    recorded_at: dt.datetime | None = None
    withdrawn: Withdrawal | None = None


@dataclass(frozen=True)
class Decision:
    """What was decided, who decided, whether partners changed it, and when they were told."""

    aspect: str
    date: dt.date
    summary: str
    decided_by: str
    partner_input_changed_it: bool = False
    change: str = ""
    feedback_given_on: dt.date | None = None
    recorded_by: Someone | None = None
    recorded_at: dt.datetime | None = None
    withdrawn: Withdrawal | None = None


@dataclass(frozen=True)
class CheckIn:
    """One anonymous answer to "where do you think this aspect is?"."""

    aspect: str
    perspective: str
    rung: str


@dataclass(frozen=True)
class WorkRecord:
    """A whole piece of work, as read from a ``withpeople.work/1`` or ``/2`` file.

    ``checkins`` are the answers of the last closed round (the results the pages show); the
    fields after it are in ``/2`` only, and keep their defaults for a ``/1`` record.
    """

    title: str
    level: str
    summary: str = ""
    aspects: tuple[AspectPlan, ...] = ()
    people: tuple[Person, ...] = ()
    activities: tuple[Activity, ...] = ()
    decisions: tuple[Decision, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    status: str = DEFAULT_STATUS
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    leads: tuple[Someone, ...] = ()
    checkin_rounds: tuple[CheckinRoundInfo, ...] = ()


def in_force(record: WorkRecord) -> WorkRecord:
    """The record without its withdrawn activities and decisions: what counts as evidence."""
    if not any(item.withdrawn for item in (*record.activities, *record.decisions)):
        return record
    return replace(
        record,
        activities=tuple(item for item in record.activities if item.withdrawn is None),
        decisions=tuple(item for item in record.decisions if item.withdrawn is None),
    )


_RECORD_FIELDS = (
    "format",
    "title",
    "summary",
    "level",
    "aspects",
    "people",
    "activities",
    "decisions",
    "checkins",
)
_ASPECT_FIELDS = ("key", "name", "intended_rung", "reason")
_REASON_FIELDS = ("category", "explanation")
_PERSON_FIELDS = ("ref", "perspective", "role")
_ACTIVITY_FIELDS = ("aspect", "date", "kind", "participants", *PARTNER_PARTS)
_DECISION_FIELDS = (
    "aspect",
    "date",
    "summary",
    "decided_by",
    "partner_input_changed_it",
    "change",
    "feedback_given_on",
)
_CHECKIN_FIELDS = ("aspect", "perspective", "rung")

#: What ``/2`` adds to each part of the record.
_RECORDING_FIELDS = ("recorded_by", "recorded_at", "withdrawn")
_RECORD_FIELDS_2 = (
    *_RECORD_FIELDS,
    "status",
    "starts_on",
    "ends_on",
    "leads",
    "checkin_rounds",
)
_PERSON_FIELDS_2 = (*_PERSON_FIELDS, "name")
_ACTIVITY_FIELDS_2 = (*_ACTIVITY_FIELDS, "title", "notes", *_RECORDING_FIELDS)
_DECISION_FIELDS_2 = (*_DECISION_FIELDS, *_RECORDING_FIELDS)
_SOMEONE_FIELDS = ("name", "ref")
_WITHDRAWN_FIELDS = ("at", "by", "reason")
_ROUND_FIELDS = ("name", "opened_at", "closed_at", "closes_on")

_T = TypeVar("_T")
_MISSING: Any = object()


def parse_work_record(data: object, *, today: dt.date | None = None) -> WorkRecord:
    """Read a work record loaded from JSON, or raise `WorkRecordInvalid` with every problem.

    Evidence is checked as on the forms (`withpeople.domain.evidence_checks`): no date after
    `today` (by default, the computer's date today) or more than twenty years before it, and
    reasons and changes that say something.
    """
    return _RecordParser(today=today or dt.date.today()).parse(data)


def parse_work_record_json(text: str | bytes, *, today: dt.date | None = None) -> WorkRecord:
    """Read a work record from JSON text (bytes may be UTF-8, -16 or -32), or raise
    `WorkRecordInvalid` with every problem, one line each (see `parse_work_record`)."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise WorkRecordInvalid(
            [f"record: is not valid JSON ({error}); check the file is a work record"]
        ) from None
    except RecursionError:
        # Python's JSON reader gives up on lists or objects nested about a thousand deep. A
        # work record is never more than four levels deep.
        raise WorkRecordInvalid(
            [
                "record: is nested too deeply to read; a work record has lists and objects "
                "only a few levels deep, so check the file is a work record"
            ]
        ) from None
    refused = [f"{where}: {refusal_words(found)}" for where, found in refused_in(data)]
    if refused:
        raise WorkRecordInvalid(refused)
    return parse_work_record(data, today=today)


def checkin_counts(checkins: Iterable[CheckIn]) -> Counter[tuple[str, str, str]]:
    """How many check-ins there are of each (aspect, perspective, rung)."""
    return Counter((checkin.aspect, checkin.perspective, checkin.rung) for checkin in checkins)


def checkins_from_counts(
    counts: Mapping[tuple[str, str, str], int], aspect_keys: Sequence[str]
) -> tuple[CheckIn, ...]:
    """One check-in per answer counted, in a fixed order: by aspect in the order of
    `aspect_keys`, then by perspective in the order of `PERSPECTIVE_SLUGS`, then up the ladder.

    WithPeople keeps only how many people gave each answer, so that no stored answer can be
    matched to the person who gave it; check-ins are anonymous and their order carries no
    meaning, so a record's check-ins come back in this order whatever order they went in.
    """
    aspect_order = {key: index for index, key in enumerate(aspect_keys)}
    perspective_order = {slug: index for index, slug in enumerate(PERSPECTIVE_SLUGS)}
    rung_order = {slug: index for index, slug in enumerate(RUNG_SLUGS)}
    ordered = sorted(
        (key for key, count in counts.items() if count > 0),
        key=lambda key: (
            aspect_order.get(key[0], len(aspect_order)),
            key[0],
            perspective_order[key[1]],
            rung_order[key[2]],
        ),
    )
    # One (frozen, so shareable) CheckIn per distinct answer, repeated: a round of 100,000
    # answers makes a few dozen objects, not 100,000.
    return tuple(
        itertools.chain.from_iterable(
            itertools.repeat(CheckIn(*key), counts[key]) for key in ordered
        )
    )


def with_checkins_counted(record: WorkRecord) -> WorkRecord:
    """The record as WithPeople keeps it: the same check-ins, in `checkins_from_counts` order."""
    keys = [aspect.key for aspect in record.aspects]
    return replace(record, checkins=checkins_from_counts(checkin_counts(record.checkins), keys))


def work_record_to_dict(record: WorkRecord) -> dict[str, Any]:
    """The canonical JSON-ready form of a record: every field present, defaults filled in.

    ``parse_work_record(work_record_to_dict(record)) == record`` for every valid record.
    """
    return {
        "format": FORMAT,
        "title": record.title,
        "summary": record.summary,
        "level": record.level,
        "aspects": [_aspect_to_dict(aspect) for aspect in record.aspects],
        "people": [
            {"ref": person.ref, "perspective": person.perspective, "role": person.role}
            for person in record.people
        ],
        "activities": [_activity_to_dict(activity) for activity in record.activities],
        "decisions": [_decision_to_dict(decision) for decision in record.decisions],
        "checkins": [
            {"aspect": checkin.aspect, "perspective": checkin.perspective, "rung": checkin.rung}
            for checkin in record.checkins
        ],
    }


def _aspect_to_dict(aspect: AspectPlan) -> dict[str, Any]:
    reason = aspect.reason
    return {
        "key": aspect.key,
        "name": aspect.name,
        "intended_rung": aspect.intended_rung,
        "reason": (
            None
            if reason is None
            else {"category": reason.category, "explanation": reason.explanation}
        ),
    }


def _activity_to_dict(activity: Activity) -> dict[str, Any]:
    return {
        "aspect": activity.aspect,
        "date": activity.date.isoformat(),
        "kind": activity.kind,
        "participants": list(activity.participants),
        **{part: getattr(activity, part) for part in PARTNER_PARTS},
    }


def _decision_to_dict(decision: Decision) -> dict[str, Any]:
    feedback = decision.feedback_given_on
    return {
        "aspect": decision.aspect,
        "date": decision.date.isoformat(),
        "summary": decision.summary,
        "decided_by": decision.decided_by,
        "partner_input_changed_it": decision.partner_input_changed_it,
        "change": decision.change,
        "feedback_given_on": None if feedback is None else feedback.isoformat(),
    }


def work_record_to_dict_2(record: WorkRecord) -> dict[str, Any]:
    """The canonical ``withpeople.work/2`` form of a record: every field present, defaults
    filled in, except the optional ``recorded_by``, ``recorded_at`` and ``withdrawn`` of an
    activity or decision, written only when known.

    ``parse_work_record(work_record_to_dict_2(record)) == record`` for every valid record.
    """
    return {
        "format": FORMAT_2,
        "title": record.title,
        "summary": record.summary,
        "level": record.level,
        "status": record.status,
        "starts_on": _date_or_none(record.starts_on),
        "ends_on": _date_or_none(record.ends_on),
        "leads": [_someone_to_dict(lead) for lead in record.leads],
        "aspects": [_aspect_to_dict(aspect) for aspect in record.aspects],
        "people": [
            {
                "ref": person.ref,
                "name": person.name,
                "perspective": person.perspective,
                "role": person.role,
            }
            for person in record.people
        ],
        "activities": [
            {
                **_activity_to_dict(activity),
                "title": activity.title,
                "notes": activity.notes,
                **_recording_to_dict(activity),
            }
            for activity in record.activities
        ],
        "decisions": [
            {**_decision_to_dict(decision), **_recording_to_dict(decision)}
            for decision in record.decisions
        ],
        "checkin_rounds": [
            {
                "name": checkin_round.name,
                "opened_at": _datetime_text(checkin_round.opened_at),
                "closed_at": (
                    None
                    if checkin_round.closed_at is None
                    else _datetime_text(checkin_round.closed_at)
                ),
                # Optional: left out for a round with no closing date, so records made
                # before rounds had one read the same.
                **(
                    {}
                    if checkin_round.closes_on is None
                    else {"closes_on": checkin_round.closes_on.isoformat()}
                ),
            }
            for checkin_round in record.checkin_rounds
        ],
        "checkins": [
            {"aspect": checkin.aspect, "perspective": checkin.perspective, "rung": checkin.rung}
            for checkin in record.checkins
        ],
    }


#: The keys of a ``/2`` record that an import sets itself rather than keeping from the file:
#: when each activity and decision was recorded (the moment of the import). Ids are never in a
#: record. Exporting, importing into a fresh organisation and exporting again gives the same
#: record apart from these.
SET_BY_IMPORT: dict[str, tuple[str, ...]] = {
    "activities": ("recorded_at",),
    "decisions": ("recorded_at",),
}


def without_keys_set_by_import(data: Mapping[str, Any]) -> dict[str, Any]:
    """A ``/2`` record as JSON without the keys in `SET_BY_IMPORT`, to compare two records."""
    data = dict(data)
    for part, keys in SET_BY_IMPORT.items():
        data[part] = [
            {key: value for key, value in item.items() if key not in keys}
            for item in data.get(part, [])
        ]
    return data


def _date_or_none(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _datetime_text(value: dt.datetime) -> str:
    """A moment in ISO 8601, in UTC, to the microsecond, so that it reads back exactly."""
    return value.astimezone(dt.UTC).isoformat()


def _someone_to_dict(someone: Someone) -> dict[str, Any]:
    return {"name": someone.name, "ref": someone.ref}


def _recording_to_dict(entry: Activity | Decision) -> dict[str, Any]:
    """Who recorded an entry, when, and its withdrawal: each key only when known."""
    data: dict[str, Any] = {}
    if entry.recorded_by is not None:
        data["recorded_by"] = _someone_to_dict(entry.recorded_by)
    if entry.recorded_at is not None:
        data["recorded_at"] = _datetime_text(entry.recorded_at)
    if entry.withdrawn is not None:
        withdrawn = entry.withdrawn
        data["withdrawn"] = {
            "at": _datetime_text(withdrawn.at),
            "by": None if withdrawn.by is None else _someone_to_dict(withdrawn.by),
            "reason": withdrawn.reason,
        }
    return data


# --- Reading -------------------------------------------------------------------------------------


def _describe(value: object) -> str:
    """A JSON value as it would appear in the file, shortened, for quoting in a message."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 40 else text[:37] + "..."


def _did_you_mean(value: object, choices: Collection[str]) -> str:
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _one_of(choices: Collection[str]) -> str:
    return ", ".join(choices)


def _at(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _suggest_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", text.lower()).strip("-_")[:ASPECT_KEY_MAX_LENGTH]


class _RecordParser:
    """Reads one record, collecting every problem rather than stopping at the first.

    Field readers record an error and return a harmless placeholder when a value is missing or
    wrong; the record is only built when no error was found.
    """

    def __init__(self, *, today: dt.date) -> None:
        self.today = today
        #: Which format the record is in; the ``/2`` fields are unknown in a ``/1`` record.
        self.version = 1
        self.errors: list[str] = []
        #: Every aspect key and person ref given as text, valid or not, with where it was first
        #: given; references are checked against these so that one mistake is reported once.
        self.aspect_keys: dict[str, str] = {}
        self.person_refs: dict[str, str] = {}

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def problems(self, path: str, problems: Iterable[checks.Problem]) -> None:
        """Report the problems the evidence checks found, each at the path of its field."""
        for problem in problems:
            self.error(_at(path, problem.field), str(problem.message))

    def parse(self, data: object) -> WorkRecord:
        if not isinstance(data, Mapping):
            raise WorkRecordInvalid(
                [
                    "record: must be a JSON object with format, title and level, "
                    f"not {_describe(data)}"
                ]
            )
        v2 = data.get("format") == FORMAT_2
        self.version = 2 if v2 else 1
        self.unknown_fields(data, "", _RECORD_FIELDS_2 if v2 else _RECORD_FIELDS)
        self.format(data)
        title = self.text(data, "", "title", hint="give the piece of work a title")
        summary = self.text(data, "", "summary", required=False)
        level = self.choice(data, "", "level", LEVEL_SLUGS, "level")
        aspects = self.items(data, "aspects", self.aspect)
        people = self.items(data, "people", self.person)
        activities = self.items(data, "activities", self.activity)
        decisions = self.items(data, "decisions", self.decision)
        checkins = self.items(data, "checkins", self.checkin)
        extra: dict[str, Any] = {}
        if v2:
            extra = self.work_2(data)
            rounds = extra["checkin_rounds"]
            if checkins and rounds and all(r.closed_at is None for r in rounds):
                self.error(
                    "checkins",
                    "are the answers of the last closed round, but no round in checkin_rounds "
                    "is closed; give the round its closed_at, or leave checkin_rounds out",
                )
        if self.errors:
            raise WorkRecordInvalid(self.errors)
        return WorkRecord(
            title=title,
            level=level,
            summary=summary,
            aspects=aspects,
            people=people,
            activities=activities,
            decisions=decisions,
            checkins=checkins,
            **extra,
        )

    def work_2(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The fields of the piece of work that ``/2`` adds."""
        status = self.choice(data, "", "status", STATUSES, "status", default=DEFAULT_STATUS)
        starts_on = self.date(data, "", "starts_on", nullable=True)
        ends_on = self.date(data, "", "ends_on", nullable=True)
        if starts_on and ends_on and ends_on < starts_on:
            self.error(
                "ends_on",
                f"must not be before starts_on {starts_on.isoformat()}; check both dates",
            )
        leads = []
        for index, item in enumerate(self.list_of(data, "leads", "leads")):
            lead = self.someone(item, f"leads[{index}]")
            if lead is not None:
                leads.append(lead)
        rounds = self.items(data, "checkin_rounds", self.checkin_round)
        if sum(1 for item in rounds if item.closed_at is None) > 1:
            self.error(
                "checkin_rounds",
                "more than one round is open; a piece of work has at most one open round, so "
                "give the others their closed_at",
            )
        return {
            "status": status,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "leads": tuple(leads),
            "checkin_rounds": rounds,
        }

    def someone(self, value: object, path: str) -> Someone | None:
        """A lead, or who recorded or withdrew an entry: a name, and their ref if among people."""
        if not isinstance(value, Mapping):
            self.error(
                path, f"must be an object with a name and a ref (or null), not {_describe(value)}"
            )
            return None
        self.unknown_fields(value, path, _SOMEONE_FIELDS)
        name = self.text(value, path, "name", hint="give the name WithPeople shows for them")
        ref = value.get("ref")
        if ref is not None and not isinstance(ref, str):
            self.error(_at(path, "ref"), f"must be a person's ref or null, not {_describe(ref)}")
            ref = None
        elif ref is not None and ref not in self.person_refs:
            self.error(
                _at(path, "ref"),
                f"unknown person {_describe(ref)}; use the ref of someone listed in people, or "
                "null for someone who is not in the group",
            )
        return Someone(name=name, ref=ref)

    def moment(
        self, data: Mapping[str, Any], path: str, name: str, *, nullable: bool = True
    ) -> dt.datetime | None:
        """A moment written in ISO 8601 with its offset from UTC, such as
        2025-03-01T10:30:00+00:00; not in the future."""
        where = _at(path, name)
        value = data.get(name)
        if value is None:
            if not nullable:
                self.error(where, "is required; give the moment as 2025-03-01T10:30:00+00:00")
            return None
        moment = None
        if isinstance(value, str) and _ISO_DATE.match(value) and "T" in value:
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                moment = None
        if moment is None or moment.tzinfo is None:
            self.error(
                where,
                f"{_describe(value)} is not a moment written as YYYY-MM-DDTHH:MM:SS with its "
                "offset from UTC; write it like 2025-03-01T10:30:00+00:00",
            )
            return None
        if moment.astimezone(dt.UTC).date() > self.today:
            self.error(where, "must not be in the future; something is recorded once it happened")
        return moment

    def recording(self, data: Mapping[str, Any], path: str) -> dict[str, Any]:
        """Who recorded an entry and when, and its withdrawal, in ``/2``; all optional."""
        if self.version < 2:
            return {}
        recorded_by = data.get("recorded_by")
        withdrawn = None
        value = data.get("withdrawn")
        where = _at(path, "withdrawn")
        if isinstance(value, Mapping):
            self.unknown_fields(value, where, _WITHDRAWN_FIELDS)
            at = self.moment(value, where, "at", nullable=False)
            by = value.get("by")
            reason = self.text(
                value, where, "reason", hint="say in plain English why it was withdrawn"
            )
            withdrawn = Withdrawal(
                at=at or dt.datetime.min.replace(tzinfo=dt.UTC),
                reason=reason,
                by=None if by is None else self.someone(by, _at(where, "by")),
            )
        elif value is not None:
            self.error(
                where, f"must be an object with at, by and reason, or null, not {_describe(value)}"
            )
        return {
            "recorded_by": (
                None if recorded_by is None else self.someone(recorded_by, _at(path, "recorded_by"))
            ),
            "recorded_at": self.moment(data, path, "recorded_at"),
            "withdrawn": withdrawn,
        }

    def checkin_round(self, data: Mapping[str, Any], path: str) -> CheckinRoundInfo:
        self.unknown_fields(data, path, _ROUND_FIELDS)
        name = self.text(data, path, "name", hint="give the round a name")
        opened_at = self.moment(data, path, "opened_at", nullable=False)
        closed_at = self.moment(data, path, "closed_at")
        closes_on = self.date(data, path, "closes_on", nullable=True)
        if opened_at and closed_at and closed_at < opened_at:
            self.error(_at(path, "closed_at"), "must not be before opened_at; check both")
        return CheckinRoundInfo(
            name=name,
            opened_at=opened_at or dt.datetime.min.replace(tzinfo=dt.UTC),
            closed_at=closed_at,
            closes_on=closes_on,
        )

    # Parts of the record.

    def format(self, data: Mapping[str, Any]) -> None:
        value = data.get("format", _MISSING)
        if value is _MISSING:
            self.error("format", f'must be "{FORMAT_2}"; add "format": "{FORMAT_2}" to the record')
        elif value not in FORMATS:
            self.error(
                "format",
                f'must be "{FORMAT_2}" or "{FORMAT}", not {_describe(value)}; this version of '
                "WithPeople reads only those formats",
            )

    def aspect(self, data: Mapping[str, Any], path: str) -> AspectPlan:
        self.unknown_fields(data, path, _ASPECT_FIELDS)
        key = self.aspect_key(data, path)
        name = self.text(data, path, "name", hint="give the aspect a name people will understand")
        intended = self.choice(data, path, "intended_rung", RUNG_SLUGS, "rung")
        reason = self.reason(data, path, intended)
        return AspectPlan(key=key, name=name, intended_rung=intended, reason=reason)

    def aspect_key(self, data: Mapping[str, Any], path: str) -> str:
        where = _at(path, "key")
        key = self.text(data, path, "key", hint='give the aspect a short key such as "design"')
        if not key:
            return key
        if not _SLUG.fullmatch(key) or len(key) > ASPECT_KEY_MAX_LENGTH:
            suggestion = _suggest_slug(key)
            example = f', such as "{suggestion}"' if suggestion else ""
            self.error(
                where,
                f"{_describe(key)} is not a slug; use up to {ASPECT_KEY_MAX_LENGTH} lower-case "
                f"letters, numbers, hyphens and underscores, starting with a letter or number"
                f"{example}",
            )
        first = self.aspect_keys.setdefault(key, path)
        if first != path:
            self.error(
                where,
                f"{_describe(key)} is already the key of {first}; give each aspect its own key",
            )
        return key

    def reason(self, data: Mapping[str, Any], path: str, intended: str) -> Reason | None:
        """A reason is needed exactly when the intended rung is below co-production.

        PRODUCT.md: the intended rung "starts at co-production; going lower needs a reason".
        When the intended rung itself is wrong, that error is enough and the reason is not
        judged against it.
        """
        where = _at(path, "reason")
        value = data.get("reason")
        steps_down = bool(intended) and intended != TOP.slug
        if value is None:
            if steps_down:
                self.error(
                    where,
                    "a step down from co-production needs a reason; give its category and a "
                    "plain-English explanation, which will be published in the openness "
                    "statement",
                )
            return None
        if not isinstance(value, Mapping):
            self.error(
                where,
                f"must be an object with a category and an explanation, or null, "
                f"not {_describe(value)}",
            )
            return None
        if intended == TOP.slug:
            self.error(where, "only a step down from co-production needs a reason; remove it")
        self.unknown_fields(value, where, _REASON_FIELDS)
        category = self.choice(value, where, "category", REASON_CATEGORIES, "reason category")
        explanation = self.text(
            value,
            where,
            "explanation",
            hint="say in plain English why this aspect cannot be co-produced",
        )
        if explanation.strip():  # blank is reported above, in the format's words
            self.problems(where, checks.reason_explanation_problems(explanation))
        return Reason(category=category, explanation=explanation)

    def person(self, data: Mapping[str, Any], path: str) -> Person:
        self.unknown_fields(data, path, _PERSON_FIELDS_2 if self.version == 2 else _PERSON_FIELDS)
        ref = self.text(data, path, "ref", hint='give the person a pseudonym such as "p1"')
        if ref:
            first = self.person_refs.setdefault(ref, path)
            if first != path:
                self.error(
                    _at(path, "ref"),
                    f"{_describe(ref)} is already the ref of {first}; give each person "
                    "their own ref",
                )
        perspective = self.choice(data, path, "perspective", PERSPECTIVE_SLUGS, "perspective")
        role = self.choice(data, path, "role", ROLES, "role", default=DEFAULT_ROLE)
        name = self.text(data, path, "name", required=False)
        return Person(ref=ref, perspective=perspective, role=role, name=name)

    def activity(self, data: Mapping[str, Any], path: str) -> Activity:
        self.unknown_fields(
            data, path, _ACTIVITY_FIELDS_2 if self.version == 2 else _ACTIVITY_FIELDS
        )
        aspect = self.aspect_ref(data, path)
        date = self.date(data, path, "date")
        if date:
            self.problems(path, checks.evidence_date_problems(date, today=self.today))
        kind = self.text(
            data, path, "kind", hint='say what kind of activity it was, such as "workshop"'
        )
        participants = self.participants(data, path)
        parts = {part: self.boolean(data, path, part) for part in PARTNER_PARTS}
        return Activity(
            aspect=aspect,
            date=date or dt.date.min,
            kind=kind,
            participants=participants,
            title=self.text(data, path, "title", required=False),
            notes=self.text(data, path, "notes", required=False),
            **parts,
            **self.recording(data, path),
        )

    def participants(self, data: Mapping[str, Any], path: str) -> tuple[str, ...]:
        where = _at(path, "participants")
        refs = self.list_of(data, where, "participants")
        seen: set[str] = set()
        for index, ref in enumerate(refs):
            at = f"{where}[{index}]"
            if not isinstance(ref, str):
                self.error(at, f"must be a person's ref from people, not {_describe(ref)}")
            elif ref not in self.person_refs:
                self.error(
                    at,
                    f"unknown person {_describe(ref)}; add them to people, or use the ref of "
                    "someone listed there",
                )
            elif ref in seen:
                self.error(at, f"{_describe(ref)} is listed twice; list each person once")
            else:
                seen.add(ref)
        return tuple(ref for ref in refs if isinstance(ref, str))

    def decision(self, data: Mapping[str, Any], path: str) -> Decision:
        self.unknown_fields(
            data, path, _DECISION_FIELDS_2 if self.version == 2 else _DECISION_FIELDS
        )
        aspect = self.aspect_ref(data, path)
        date = self.date(data, path, "date")
        summary = self.text(data, path, "summary", hint="say in plain English what was decided")
        decided_by = self.choice(data, path, "decided_by", DECIDERS, "decider")
        changed = self.boolean(data, path, "partner_input_changed_it")
        errors_before_change = len(self.errors)
        change = self.text(data, path, "change", required=False)
        change_readable = len(self.errors) == errors_before_change
        feedback = self.date(data, path, "feedback_given_on", nullable=True)
        if date:
            self.problems(
                path, checks.evidence_date_problems(date, today=self.today, of=checks.DECISION)
            )
        if feedback:
            self.problems(
                path,
                checks.evidence_date_problems(
                    feedback, today=self.today, of=checks.FEEDBACK, field="feedback_given_on"
                ),
            )
        if change_readable:  # a change that is not text is reported once, above
            self.problems(path, checks.change_problems(changed, change))
        if date and feedback and feedback < date:
            self.error(
                _at(path, "feedback_given_on"),
                f"must not be before the decision date {date.isoformat()}; partners can only "
                "be told of a decision once it has been made",
            )
        return Decision(
            aspect=aspect,
            date=date or dt.date.min,
            summary=summary,
            decided_by=decided_by,
            partner_input_changed_it=changed,
            change=change,
            feedback_given_on=feedback,
            **self.recording(data, path),
        )

    def checkin(self, data: Mapping[str, Any], path: str) -> CheckIn:
        self.unknown_fields(data, path, _CHECKIN_FIELDS)
        aspect = self.aspect_ref(data, path)
        perspective = self.choice(data, path, "perspective", PERSPECTIVE_SLUGS, "perspective")
        rung = self.choice(data, path, "rung", RUNG_SLUGS, "rung")
        return CheckIn(aspect=aspect, perspective=perspective, rung=rung)

    # Field readers.

    def items(
        self, data: Mapping[str, Any], name: str, read: Callable[[Mapping[str, Any], str], _T]
    ) -> tuple[_T, ...]:
        items = []
        for index, item in enumerate(self.list_of(data, name, name)):
            path = f"{name}[{index}]"
            if isinstance(item, Mapping):
                items.append(read(item, path))
            else:
                self.error(path, f"must be an object, not {_describe(item)}")
        return tuple(items)

    def list_of(self, data: Mapping[str, Any], where: str, name: str) -> list[Any]:
        value = data.get(name, _MISSING)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.error(where, f"must be a list (use [] for none), not {_describe(value)}")
            return []
        return value

    def unknown_fields(self, data: Mapping[Any, Any], path: str, known: tuple[str, ...]) -> None:
        for name in data:
            if name not in known:
                self.error(
                    # A NUL is shown escaped, so that the message itself can be stored.
                    _at(path, str(name).replace("\x00", "\\u0000")),
                    f"unknown field{_did_you_mean(name, known)}; check the spelling or remove it",
                )

    def text(
        self,
        data: Mapping[str, Any],
        path: str,
        name: str,
        *,
        required: bool = True,
        hint: str = "",
    ) -> str:
        where = _at(path, name)
        how = f"; {hint}" if hint else ""
        value = data.get(name, _MISSING)
        if value is _MISSING or (required and value is None):
            if required:
                self.error(where, f"is required{how}")
            return ""
        if not isinstance(value, str):
            self.error(where, f"must be text, not {_describe(value)}")
            return ""
        if "\x00" in value:
            self.error(
                where,
                "must not contain the NUL character (\\u0000), which cannot be stored; remove it",
            )
            return ""
        if required and not value.strip():
            self.error(where, f"must not be blank{how}")
        return value

    def boolean(self, data: Mapping[str, Any], path: str, name: str) -> bool:
        value = data.get(name, False)
        if type(value) is not bool:
            self.error(_at(path, name), f"must be true or false, not {_describe(value)}")
            return False
        return value

    def date(
        self, data: Mapping[str, Any], path: str, name: str, *, nullable: bool = False
    ) -> dt.date | None:
        """A date written as YYYY-MM-DD (ISO 8601), or None when missing or wrong.

        ``date.fromisoformat`` also accepts forms such as "20250301" and "2025-W09-6"; the
        format allows only one way of writing a date, so the shape is checked first.
        """
        where = _at(path, name)
        value = data.get(name)
        if value is None:
            if not nullable:
                self.error(where, "is required; give the date as YYYY-MM-DD, e.g. 2025-03-01")
            return None
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            self.error(
                where,
                f"{_describe(value)} is not a date written as YYYY-MM-DD; write it like 2025-03-01",
            )
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(where, f"{_describe(value)} is not a real date (use YYYY-MM-DD)")
            return None

    def choice(
        self,
        data: Mapping[str, Any],
        path: str,
        name: str,
        choices: Collection[str],
        noun: str,
        *,
        default: str = "",
    ) -> str:
        where = _at(path, name)
        value = data.get(name, _MISSING)
        if value is _MISSING and default:
            return default
        if value is _MISSING or value is None:
            self.error(where, f"is required; use one of: {_one_of(choices)}")
            return ""
        if not isinstance(value, str) or value not in choices:
            self.error(
                where,
                f"unknown {noun} {_describe(value)}{_did_you_mean(value, choices)}; "
                f"use one of: {_one_of(choices)}",
            )
            return ""
        return value

    def aspect_ref(self, data: Mapping[str, Any], path: str) -> str:
        where = _at(path, "aspect")
        value = data.get("aspect", _MISSING)
        if value is _MISSING or value is None:
            self.error(where, "is required; use the key of one of the aspects")
            return ""
        if not isinstance(value, str) or value not in self.aspect_keys:
            self.error(
                where,
                f"unknown aspect {_describe(value)}{_did_you_mean(value, self.aspect_keys)}; "
                "use the key of one of the aspects",
            )
            return ""
        return value
