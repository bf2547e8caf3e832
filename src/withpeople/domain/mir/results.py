"""Results of a review cycle's feedback on the I statements, with small numbers suppressed.

The result is plain data (format ``withpeople.results/1``) so that every page, export and API
response shows the same figures, and so that tests can check any of them with
:func:`assert_no_small_numbers`. Suppression goes through :mod:`withpeople.domain.suppression`,
the one place where anonymity thresholds are enforced.

Rules, in the words of the policy:

* ``answered`` counts answers other than ``not_applicable``: "does not apply to me" is neither
  good nor bad experience.
* ``positive_percent`` is always + mostly as a share of ``answered``, to one decimal place,
  rounding halves up (12.25 becomes 12.3), worked in decimal so the same answers give the same
  figure on every machine. Python's ``round`` is not used: it rounds halves to even, and binary
  floats turn 12.25 into 12.249999...
* A statement, theme or perspective group with fewer than ``FEEDBACK_THRESHOLD`` answered is
  suppressed: every number in it is null.
* Secondary suppression stops a hidden figure being worked out by subtraction from the
  statement's total: among the perspective groups of a statement, when exactly one is
  suppressed the smallest of the others (ties broken by slug) is suppressed too. A suppressed
  statement shows none of its perspective groups.
* Statements and themes are only ever suppressed for having fewer than ``FEEDBACK_THRESHOLD``
  answered, exactly as ``withpeople.results/1`` specifies. A theme's total less its shown
  statements can therefore reveal the total of a single hidden statement (never its answers'
  split or who gave them); ``docs/making-it-real.md`` says so for the people who publish results.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from withpeople.domain.ladder import PERSPECTIVE_SLUGS
from withpeople.domain.mir.framework import Framework, Statement, is_slug
from withpeople.domain.suppression import FEEDBACK_THRESHOLD, is_suppressed, suppressed_keys
from withpeople.domain.text import N_

FORMAT = "withpeople.results/1"

ANSWERS: tuple[str, ...] = ("always", "mostly", "sometimes", "rarely", "never", "not_applicable")
ANSWER_LABELS: dict[str, str] = {
    "always": N_("Always"),
    "mostly": N_("Mostly"),
    "sometimes": N_("Sometimes"),
    "rarely": N_("Rarely"),
    "never": N_("Never"),
    "not_applicable": N_("Does not apply to me"),
}
POSITIVE_ANSWERS: frozenset[str] = frozenset({"always", "mostly"})
NOT_APPLICABLE = "not_applicable"

_DECIMAL = Context(prec=28, rounding=ROUND_HALF_UP)
_ONE_PLACE = Decimal("0.1")

# (perspective or None, statement key, answer), as counted from the answers given.
AnswerKey = tuple[str | None, str, str]


def one_decimal_place(value: Decimal) -> float:
    """Round to one decimal place, halves away from zero (ROUND_HALF_UP), as a float.

    The one rounding rule for every figure in the results, so a percentage and a change in
    percentage points are rounded alike. Halves go away from zero: 12.25 to 12.3, -0.05 to -0.1.
    """
    return float(value.quantize(_ONE_PLACE, context=_DECIMAL))


def positive_percent(positive: int, answered: int) -> float | None:
    """always + mostly as a percentage of the answers that applied; None when nothing did."""
    if answered <= 0:
        return None
    return one_decimal_place(_DECIMAL.divide(Decimal(positive * 100), Decimal(answered)))


# --- counting ------------------------------------------------------------------------------


class _Tally:
    """How often each answer was given: to a statement, to a theme, or by one perspective."""

    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts: dict[str, int] = dict.fromkeys(ANSWERS, 0)

    def add(self, answer: str, n: int) -> None:
        self.counts[answer] += n

    def absorb(self, other: _Tally) -> None:
        for answer, n in other.counts.items():
            self.counts[answer] += n

    @property
    def answered(self) -> int:
        return sum(self.counts.values()) - self.counts[NOT_APPLICABLE]

    @property
    def positive(self) -> int:
        return self.counts["always"] + self.counts["mostly"]


def _count(
    framework: Framework, answers: Iterable[AnswerKey] | Mapping[AnswerKey, int]
) -> tuple[dict[str, _Tally], dict[str, dict[str, _Tally]]]:
    """Tally the answers per I statement and per statement and perspective.

    `answers` is one tuple per answer, or the tuples already counted ({tuple: how many}).
    Counting whole tuples with Counter is done in C, so 100,000 answers take milliseconds; the
    checks and the per-statement sums then run once per distinct tuple, not once per answer.
    """
    counted = Counter(answers) if not isinstance(answers, Mapping) else answers
    i_keys = {s.key for s in framework.i_statements()}
    by_statement = {key: _Tally() for key in i_keys}
    by_perspective: dict[str, dict[str, _Tally]] = {key: {} for key in i_keys}
    for (perspective, statement, answer), n in counted.items():
        _check_answer(perspective, statement, answer, i_keys)
        by_statement[statement].add(answer, n)
        if perspective is not None:
            groups = by_perspective[statement]
            groups.setdefault(perspective, _Tally()).add(answer, n)
    return by_statement, by_perspective


def _check_answer(perspective: object, statement: object, answer: object, i_keys: set[str]) -> None:
    """Refuse answers that cannot be counted rather than quietly leaving them out."""
    if statement not in i_keys:
        raise ValueError(f"answer to {statement!r}, which is not an I statement of the framework")
    if answer not in ANSWER_LABELS:
        raise ValueError(f"{answer!r} is not an answer; use {', '.join(ANSWERS)}")
    if perspective is not None and perspective not in PERSPECTIVE_SLUGS:
        raise ValueError(f"{perspective!r} is not a perspective")


# --- the results ---------------------------------------------------------------------------


def compute_results(
    framework: Framework,
    answers: Iterable[AnswerKey] | Mapping[AnswerKey, int],
    *,
    cycle: str,
    responses: int,
    previous: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``withpeople.results/1`` results of a review cycle, small numbers suppressed.

    `answers` are (perspective or None, statement key, answer) tuples, one per answer given to
    an I statement, or a mapping of such tuples to how many answers were given; `responses` is
    how many distinct responses gave them. `previous`, when given, must be an earlier cycle's
    results; it is only checked here, because the change since then
    comes from :func:`change_since`, which keeps this structure exactly as specified.
    """
    if not is_slug(cycle):
        raise ValueError(f"cycle {cycle!r} must be a slug")
    if isinstance(responses, bool) or not isinstance(responses, int) or responses < 0:
        raise ValueError(f"responses must be a whole number of responses, not {responses!r}")
    if previous is not None:
        _check_results_format(previous)
    by_statement, by_perspective = _count(framework, answers)
    statements = [
        _statement_entry(
            statement.key,
            framework.theme_of(statement.key).key,
            by_statement[statement.key],
            by_perspective[statement.key],
            suppressed=is_suppressed(by_statement[statement.key].answered, FEEDBACK_THRESHOLD),
        )
        for statement in framework.i_statements()
    ]
    themes = [
        _theme_entry(theme.key, theme.i_statements(), by_statement) for theme in framework.themes
    ]
    return {
        "format": FORMAT,
        "cycle": cycle,
        "responses": responses,
        "statements": statements,
        "themes": themes,
    }


def _figures(tally: _Tally, *, suppressed: bool) -> dict[str, Any]:
    if suppressed:
        return {"suppressed": True, "answered": None, "positive_percent": None}
    return {
        "suppressed": False,
        "answered": tally.answered,
        "positive_percent": positive_percent(tally.positive, tally.answered),
    }


def _statement_entry(
    key: str, theme: str, tally: _Tally, groups: dict[str, _Tally], *, suppressed: bool
) -> dict[str, Any]:
    return {
        "key": key,
        "theme": theme,
        **_figures(tally, suppressed=suppressed),
        "counts": None if suppressed else dict(tally.counts),
        "by_perspective": _perspective_entries(groups, statement_suppressed=suppressed),
    }


def _perspective_entries(
    groups: dict[str, _Tally], *, statement_suppressed: bool
) -> dict[str, dict[str, Any]]:
    """Each perspective that answered, in the ladder's order of perspectives."""
    answered = {slug: tally.answered for slug, tally in groups.items()}
    hidden = (
        set(answered) if statement_suppressed else suppressed_keys(answered, FEEDBACK_THRESHOLD)
    )
    return {
        slug: _figures(groups[slug], suppressed=slug in hidden)
        for slug in PERSPECTIVE_SLUGS
        if slug in groups
    }


def _theme_entry(
    key: str, statements: Iterable[Statement], by_statement: dict[str, _Tally]
) -> dict[str, Any]:
    """A theme pools the answers to its I statements."""
    pooled = _Tally()
    for statement in statements:
        pooled.absorb(by_statement[statement.key])
    suppressed = is_suppressed(pooled.answered, FEEDBACK_THRESHOLD)
    return {"key": key, **_figures(pooled, suppressed=suppressed)}


def _check_results_format(results: Mapping[str, Any]) -> None:
    if not isinstance(results, Mapping) or results.get("format") != FORMAT:
        raise ValueError(f'previous results must be in the format "{FORMAT}"')


# --- change since the previous cycle -------------------------------------------------------


def change_since(
    current: Mapping[str, Any], previous: Mapping[str, Any]
) -> dict[str, float | None]:
    """Percentage-point change in positive_percent, per statement key and per ``theme:<key>``.

    The change is worked from the shown (already rounded) percentages, so it always agrees with
    the figures beside it on a page. None when either cycle has the entry suppressed or missing.
    """
    _check_results_format(current)
    _check_results_format(previous)
    before = _shown_percentages(previous)
    return {
        name: _difference(percent, before.get(name))
        for name, percent in _shown_percentages(current).items()
    }


def _shown_percentages(results: Mapping[str, Any]) -> dict[str, float | None]:
    shown: dict[str, float | None] = {}
    for entry in results["statements"]:
        shown[entry["key"]] = None if entry["suppressed"] else entry["positive_percent"]
    for entry in results["themes"]:
        shown[f"theme:{entry['key']}"] = None if entry["suppressed"] else entry["positive_percent"]
    return shown


def _difference(now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    return one_decimal_place(Decimal(repr(now)) - Decimal(repr(before)))


# --- the checker ---------------------------------------------------------------------------


def assert_no_small_numbers(results: Mapping[str, Any]) -> None:
    """Fail (AssertionError) if results would show a small number or let one be worked out.

    For tests of every page, export and API that shows results: nothing shown rests on fewer
    than FEEDBACK_THRESHOLD answers, nothing suppressed carries a number, and no statement's
    perspective breakdown has exactly one hidden group among two or more. (Statements within a
    theme are not checked that way: the specification suppresses them by threshold alone.)
    """
    problems: list[str] = []
    for entry in results["statements"]:
        name = f"statement {entry['key']}"
        _check_entry(name, entry, problems, extra=("counts",))
        groups = entry["by_perspective"]
        for slug, group in groups.items():
            _check_entry(f"{name}, perspective {slug}", group, problems)
        hidden = [slug for slug, group in groups.items() if group["suppressed"]]
        if len(groups) >= 2 and len(hidden) == 1:
            problems.append(f"{name}: only perspective {hidden[0]} is suppressed")
        if entry["suppressed"] and len(hidden) != len(groups):
            problems.append(f"{name}: suppressed, but shows perspective groups")
    for entry in results["themes"]:
        _check_entry(f"theme {entry['key']}", entry, problems)
    if problems:
        raise AssertionError("small numbers shown: " + "; ".join(problems))


def _check_entry(
    name: str, entry: Mapping[str, Any], problems: list[str], extra: tuple[str, ...] = ()
) -> None:
    fields = ("answered", "positive_percent", *extra)
    if entry["suppressed"]:
        problems.extend(
            f"{name}: suppressed but {f} is shown" for f in fields if entry[f] is not None
        )
    elif entry["answered"] is None or entry["answered"] < FEEDBACK_THRESHOLD:
        problems.append(f"{name}: shown with answered {entry['answered']!r}")
