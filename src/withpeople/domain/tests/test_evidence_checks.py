"""The evidence checks, as a table: what is refused, what needs confirming, and what passes."""

from __future__ import annotations

import datetime as dt

import pytest

from withpeople.domain import evidence_checks as checks

TODAY = dt.date(2026, 12, 6)
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def codes(problems: list[checks.Problem]) -> list[str]:
    return [problem.code for problem in problems]


@pytest.mark.parametrize(
    ("date", "confirmed", "expected"),
    [
        (TODAY, True, []),
        (END, False, []),
        (START, False, []),
        (dt.date(2026, 3, 1), False, []),
        (TODAY + dt.timedelta(days=1), False, [checks.DATE_IN_FUTURE]),
        (dt.date(2031, 5, 1), True, [checks.DATE_IN_FUTURE]),  # confirming cannot help
        (dt.date(2006, 12, 6), False, [checks.DATE_BEFORE_WORK]),  # 20 years ago to the day
        (dt.date(2006, 12, 5), True, [checks.DATE_TOO_OLD]),
        (dt.date(2025, 12, 31), False, [checks.DATE_BEFORE_WORK]),
        (dt.date(2025, 12, 31), True, []),
        (dt.date(2026, 7, 1), False, [checks.DATE_AFTER_WORK]),
        (dt.date(2026, 7, 1), True, []),
    ],
)
def test_evidence_dates(date, confirmed, expected):
    problems = checks.evidence_date_problems(
        date, today=TODAY, starts_on=START, ends_on=END, confirmed=confirmed
    )
    assert codes(problems) == expected
    for problem in problems:
        assert problem.field == "date"
        assert problem.confirmable == (problem.code in {"date_before_work", "date_after_work"})
        assert str(problem).endswith(".")


def test_a_piece_of_work_without_dates_needs_no_confirmation():
    assert checks.evidence_date_problems(dt.date(2010, 1, 1), today=TODAY) == []


@pytest.mark.parametrize(
    ("of", "future", "old"),
    [
        (
            checks.ACTIVITY,
            "The date of the activity must be today or in the past.",
            "The date of the activity must be on or after 6 December 2006. Check the year.",
        ),
        (
            checks.DECISION,
            "The date decided must be today or in the past.",
            "The date decided must be on or after 6 December 2006. Check the year.",
        ),
        (
            checks.FEEDBACK,
            "The date partners were told the outcome must be today or in the past.",
            "The date partners were told the outcome must be on or after 6 December 2006.",
        ),
    ],
)
def test_date_messages_say_what_to_do(of, future, old):
    (ahead,) = checks.evidence_date_problems(dt.date(2031, 1, 1), today=TODAY, of=of)
    (behind,) = checks.evidence_date_problems(dt.date(1999, 1, 1), today=TODAY, of=of)
    assert str(ahead).startswith(future)
    assert str(behind).startswith(old)


def test_the_confirmation_message_names_the_dates_of_the_work():
    (before,) = checks.evidence_date_problems(dt.date(2025, 1, 1), today=TODAY, starts_on=START)
    (after,) = checks.evidence_date_problems(dt.date(2026, 8, 1), today=TODAY, ends_on=END)
    assert str(before) == (
        "The date is before the piece of work started on 1 January 2026. Check the date, or "
        'select "Yes, this date is right" if it is.'
    )
    assert "after the piece of work ended on 30 June 2026" in str(after)


def test_twenty_years_back_from_29_february():
    assert checks.earliest_evidence_date(dt.date(2028, 2, 29)) == dt.date(2008, 2, 29)
    # 2100 is not a leap year.
    assert checks.earliest_evidence_date(dt.date(2120, 2, 29)) == dt.date(2100, 2, 28)


@pytest.mark.parametrize(
    ("explanation", "expected"),
    [
        ("", [checks.REASON_MISSING]),
        ("   \n ", [checks.REASON_MISSING]),
        ("x", [checks.REASON_TOO_SHORT]),
        ("The law says so.", [checks.REASON_TOO_SHORT]),
        ("  Law     says    so.      ", [checks.REASON_TOO_SHORT]),  # spaces do not count
        ("The law sets the rate", []),  # 21 characters
        ("12345678901234567890", []),  # exactly the minimum
        ("1234567890123456789", [checks.REASON_TOO_SHORT]),
    ],
)
def test_reason_explanations(explanation, expected):
    assert codes(checks.reason_explanation_problems(explanation)) == expected


def test_the_short_reason_message_says_what_is_expected():
    (problem,) = checks.reason_explanation_problems("x")
    assert problem.field == "explanation"
    assert str(problem).startswith(
        "The explanation must be at least 20 characters. Say in plain English why this aspect "
        "cannot be fully co-produced"
    )


@pytest.mark.parametrize(
    ("changed", "change", "expected"),
    [
        (False, "", []),
        (False, "x", []),  # does not apply: cleared, not judged
        (True, "", [checks.CHANGE_MISSING]),
        (True, "yes", [checks.CHANGE_TOO_SHORT]),
        (True, "123456789", [checks.CHANGE_TOO_SHORT]),
        (True, "1234567890", []),
        (True, "Added respite care.", []),
    ],
)
def test_change_texts(changed, change, expected):
    assert codes(checks.change_problems(changed, change)) == expected


def test_the_short_change_message_says_what_is_expected():
    (problem,) = checks.change_problems(True, "yes")
    assert problem.field == "change"
    assert str(problem).startswith(
        "How partners' input changed the decision must be at least 10 characters."
    )


@pytest.mark.parametrize(
    ("changed", "change", "kept"),
    [(True, "Added respite.", "Added respite."), (False, "Added respite.", ""), (False, "", "")],
)
def test_a_change_text_is_kept_only_when_the_decision_changed(changed, change, kept):
    assert checks.applicable_change(changed, change) == kept
