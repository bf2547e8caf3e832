"""Checks that evidence makes sense, written once for every way in: forms, work records, the API.

Evidence over opinion (PRODUCT.md, principle 1) only works if the evidence is believable. So:

- An activity or a decision cannot be dated in the future: it is recorded once it has happened
  (a planned meeting is not yet evidence), nor more than `MAX_YEARS_BACK` years ago, before
  anyone could have recorded it here. The date partners were told the outcome follows the same
  rule.
- A date outside the start and end dates of the piece of work is probably a typing mistake, but
  not always (a meeting before the work formally started). It is a *confirmable* problem: the
  person may say "Yes, this date is right" rather than change it.
- A reason for stepping down from co-production, published in the openness statement, and the
  text saying how partners' input changed a decision, must say something: at least
  `REASON_EXPLANATION_MIN_LENGTH` and `CHANGE_MIN_LENGTH` characters
  (docs/decisions/0012-evidence-checks.md says why these numbers).
- A field that does not apply is cleared rather than kept out of sight (`applicable_change`).

Each check returns `Problem`s with a stable `code`, the field it is about and a message in the
GOV.UK error message style (what is wrong and how to fix it), kept in English and marked for
translation (see `withpeople.domain.text`). The caller says which day today is, so the checks
stay free of clocks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from withpeople.domain.text import N_, Message, say

#: How far back evidence may be dated. WithPeople records co-production as it happens; twenty
#: years is longer than any piece of work it tracks, and a date further back is a typing mistake
#: (2004 for 2024) far more often than a real record.
MAX_YEARS_BACK = 20
#: The shortest explanation of a step down from co-production: about four words, enough for
#: "The law sets the rates" but not for "n/a" or "Because.".
REASON_EXPLANATION_MIN_LENGTH = 20
#: The shortest description of how partners' input changed a decision: about two words, enough
#: for "Added respite" but not for "yes" or "changed".
CHANGE_MIN_LENGTH = 10

# Stable codes, for tests and for callers that treat some problems differently.
DATE_IN_FUTURE = "date_in_future"
DATE_TOO_OLD = "date_too_old"
DATE_BEFORE_WORK = "date_before_work"
DATE_AFTER_WORK = "date_after_work"
REASON_MISSING = "reason_missing"
REASON_TOO_SHORT = "reason_too_short"
CHANGE_MISSING = "change_missing"
CHANGE_TOO_SHORT = "change_too_short"

#: What a date is the date of: an activity, a decision, or when partners were told the outcome.
ACTIVITY, DECISION, FEEDBACK = "activity", "decision", "feedback"

_MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


@dataclass(frozen=True)
class Problem:
    """Something wrong with what was entered: a stable code, the field, and what to do."""

    code: str
    #: The field the problem is about, as named in the forms and the work record.
    field: str
    message: Message
    #: The person may confirm the value is right instead of changing it.
    confirmable: bool = False

    def __str__(self) -> str:
        return str(self.message)


def day_in_words(date: dt.date) -> Message:
    """A date as people write it, "6 December 2026", with the month translatable."""
    return say(
        "%(day)s %(month)s %(year)s",
        day=date.day,
        month=Message(_MONTHS[date.month - 1]),
        year=date.year,
    )


def earliest_evidence_date(today: dt.date) -> dt.date:
    """The earliest date evidence may have: `MAX_YEARS_BACK` years before today."""
    try:
        return today.replace(year=today.year - MAX_YEARS_BACK)
    except ValueError:  # 29 February, in a year that has none
        return today.replace(year=today.year - MAX_YEARS_BACK, day=28)


def evidence_date_problems(
    date: dt.date,
    *,
    today: dt.date,
    of: str = ACTIVITY,
    field: str = "date",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    confirmed: bool = False,
) -> list[Problem]:
    """Problems with the date of an activity, a decision or of feedback (`of`).

    A date in the future or more than `MAX_YEARS_BACK` years ago is refused. A date before
    `starts_on` or after `ends_on` (the piece of work's, if it has them) is a confirmable
    problem, unless `confirmed`.
    """
    if date > today:
        return [Problem(DATE_IN_FUTURE, field, _future_message(of))]
    earliest = earliest_evidence_date(today)
    if date < earliest:
        return [Problem(DATE_TOO_OLD, field, _too_old_message(of, earliest))]
    if confirmed:
        return []
    if starts_on is not None and date < starts_on:
        return [
            Problem(
                DATE_BEFORE_WORK,
                field,
                say(
                    "The date is before the piece of work started on %(start)s. Check the "
                    'date, or select "Yes, this date is right" if it is.',
                    start=day_in_words(starts_on),
                ),
                confirmable=True,
            )
        ]
    if ends_on is not None and date > ends_on:
        return [
            Problem(
                DATE_AFTER_WORK,
                field,
                say(
                    "The date is after the piece of work ended on %(end)s. Check the date, or "
                    'select "Yes, this date is right" if it is.',
                    end=day_in_words(ends_on),
                ),
                confirmable=True,
            )
        ]
    return []


def _future_message(of: str) -> Message:
    if of == DECISION:
        return say(
            "The date decided must be today or in the past. Record a decision once it has "
            "been made."
        )
    if of == FEEDBACK:
        return say(
            "The date partners were told the outcome must be today or in the past. Leave it "
            "empty until they have been told."
        )
    return say(
        "The date of the activity must be today or in the past. Record an activity once it "
        "has happened; a planned meeting is not evidence yet."
    )


def _too_old_message(of: str, earliest: dt.date) -> Message:
    start = day_in_words(earliest)
    if of == DECISION:
        return say(
            "The date decided must be on or after %(earliest)s. Check the year.",
            earliest=start,
        )
    if of == FEEDBACK:
        return say(
            "The date partners were told the outcome must be on or after %(earliest)s. "
            "Check the year.",
            earliest=start,
        )
    return say(
        "The date of the activity must be on or after %(earliest)s. Check the year.",
        earliest=start,
    )


def _length(text: str) -> int:
    """Characters that say something: spaces at either end and runs of spaces do not count."""
    return len(" ".join(text.split()))


def reason_explanation_problems(explanation: str, *, field: str = "explanation") -> list[Problem]:
    """Problems with the explanation of a step down from co-production."""
    length = _length(explanation)
    if length == 0:
        return [
            Problem(
                REASON_MISSING,
                field,
                say("Explain in plain English why this aspect cannot be fully co-produced"),
            )
        ]
    if length < REASON_EXPLANATION_MIN_LENGTH:
        return [
            Problem(
                REASON_TOO_SHORT,
                field,
                say(
                    "The explanation must be at least %(minimum)s characters. Say in plain "
                    "English why this aspect cannot be fully co-produced, for example which "
                    "law or duty means the organisation must decide.",
                    minimum=REASON_EXPLANATION_MIN_LENGTH,
                ),
            )
        ]
    return []


def change_problems(changed: bool, change: str, *, field: str = "change") -> list[Problem]:
    """Problems with the text saying how partners' input changed a decision, when it did."""
    if not changed:
        return []
    length = _length(change)
    if length == 0:
        return [Problem(CHANGE_MISSING, field, say("Say how partners' input changed the decision"))]
    if length < CHANGE_MIN_LENGTH:
        return [
            Problem(
                CHANGE_TOO_SHORT,
                field,
                say(
                    "How partners' input changed the decision must be at least %(minimum)s "
                    "characters. Say what is different because of them, for example "
                    '"Added a second drop-in in the evening".',
                    minimum=CHANGE_MIN_LENGTH,
                ),
            )
        ]
    return []


def applicable_change(changed: bool, change: str) -> str:
    """The change text to keep: none when partners' input did not change the decision.

    A text kept behind an unticked box would be invisible on the page ("No") but still stored
    and exported, so it is cleared instead.
    """
    return change if changed else ""
