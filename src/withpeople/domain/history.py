"""The history of a piece of work: why a change was made, and what it changed.

PRODUCT.md, "Who may do what": every record says who recorded it and when; a change keeps the
earlier version; a deletion withdraws with a reason and stays in the history. "Evidence nobody
can trace is not evidence." The versions themselves are kept by the database layer; the rules
here are the ones people meet: a change or a withdrawal says why (one short sentence), and the
difference between two versions is the fields whose values differ, old beside new.

No Django here; tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from withpeople.domain.evidence_checks import Problem
from withpeople.domain.text import say

#: The shortest reason for a change or a withdrawal: enough for "Wrong date" or "Typing
#: mistake", not for "x" or "ok".
CHANGE_REASON_MIN_LENGTH = 5
#: Short: the reason is one sentence beside the change, not an essay.
CHANGE_REASON_MAX_LENGTH = 300

CHANGE_REASON_MISSING = "change_reason_missing"
CHANGE_REASON_TOO_SHORT = "change_reason_too_short"
CHANGE_REASON_TOO_LONG = "change_reason_too_long"


def change_reason_problems(
    reason: str, *, field: str = "change_reason", withdrawing: bool = False
) -> list[Problem]:
    """Problems with the reason given for changing (or withdrawing) a record."""
    length = len(" ".join(reason.split()))
    if length == 0:
        return [
            Problem(
                CHANGE_REASON_MISSING,
                field,
                say("Say why you are withdrawing this")
                if withdrawing
                else say("Say why you are changing this"),
            )
        ]
    if length < CHANGE_REASON_MIN_LENGTH:
        return [
            Problem(
                CHANGE_REASON_TOO_SHORT,
                field,
                say(
                    "The reason must be at least %(minimum)s characters. Say in a few words "
                    "what was wrong, for example “The date was wrong”.",
                    minimum=CHANGE_REASON_MIN_LENGTH,
                ),
            )
        ]
    if length > CHANGE_REASON_MAX_LENGTH:
        return [
            Problem(
                CHANGE_REASON_TOO_LONG,
                field,
                say(
                    "The reason must be %(maximum)s characters or fewer. Say it in one sentence.",
                    maximum=CHANGE_REASON_MAX_LENGTH,
                ),
            )
        ]
    return []


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


def differences(
    old: Mapping[str, Any] | None, new: Mapping[str, Any], fields: Sequence[str]
) -> list[FieldChange]:
    """The fields, in the order given, whose values differ between two versions.

    With no earlier version (the record was first made), every field that holds something is a
    change from nothing.
    """
    changes = []
    for name in fields:
        before = None if old is None else old.get(name)
        after = new.get(name)
        if old is None and after in (None, "", False):
            continue
        if before != after:
            changes.append(FieldChange(name, before, after))
    return changes


@dataclass(frozen=True)
class Summary:
    """How much a body of evidence was changed, and by whom: for the evidence pack."""

    records: int
    changes: int
    withdrawals: int
    #: Removed with the aspect they were about (an aspect taken out of the plan).
    removals: int
    by_whom: dict[str, int]


#: The kinds of entry in a history.
RECORDED, CHANGED, WITHDRAWN, REMOVED = "recorded", "changed", "withdrawn", "removed"


def summarise(entries: Iterable[tuple[str, str]]) -> Summary:
    """Count entries of (kind, who): how many records, changes and withdrawals, and how many
    entries each person made, most first (then by name)."""
    counts = {RECORDED: 0, CHANGED: 0, WITHDRAWN: 0, REMOVED: 0}
    by_whom: dict[str, int] = {}
    for kind, who in entries:
        counts[kind] += 1
        by_whom[who] = by_whom.get(who, 0) + 1
    return Summary(
        records=counts[RECORDED],
        changes=counts[CHANGED],
        withdrawals=counts[WITHDRAWN],
        removals=counts[REMOVED],
        by_whom=dict(sorted(by_whom.items(), key=lambda item: (-item[1], item[0]))),
    )
