"""Self-assessment on the We statements, co-produced by staff and partners.

For each We statement of a review cycle's framework, every member of the organisation says where
the organisation is: not yet, started, mostly or fully. Staff and partners (people with lived
experience and carers, see :func:`withpeople.domain.ladder.is_partner`) are shown side by side,
because the point of co-producing the assessment is to see where the two views part company.

These are named colleagues rating their own organisation, not anonymous feedback, so no
small-number suppression applies; pages still show each group's distribution, never who said what.

The rule for when the two views **differ**, in plain words:

* the groups' middle ratings (medians) are two or more levels apart (for example "started"
  against "fully"), or
* someone in one group says "fully" while someone in the other says "not yet".

Either group having no ratings yet means there is nothing to compare, so they do not differ.

A group's **middle rating** is the one in the middle when its ratings are put in order, from not
yet to fully. With an even number of ratings there are two in the middle; when they are different
levels both are shown ("between mostly and fully"), not one picked over the other, and the rule
above measures from halfway between them. This is the median the rule compares, so what the page
shows is what decides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from withpeople.domain.text import N_

#: The levels, lowest first.
LEVELS: tuple[str, ...] = ("not_yet", "started", "mostly", "fully")
LEVEL_LABELS: dict[str, str] = {
    "not_yet": N_("Not yet"),
    "started": N_("Started"),
    "mostly": N_("Mostly"),
    "fully": N_("Fully"),
}
_POSITION = {level: index for index, level in enumerate(LEVELS)}

#: Medians this many levels apart or more count as a difference.
MEDIANS_APART = 2

#: Reasons the views differ, as codes that pages translate into sentences.
MEDIANS_FAR_APART = "medians_far_apart"
FULLY_AND_NOT_YET = "fully_and_not_yet"


def _check(levels: Iterable[str]) -> tuple[str, ...]:
    checked = tuple(levels)
    for level in checked:
        if level not in _POSITION:
            raise ValueError(f"{level!r} is not a level; use {', '.join(LEVELS)}")
    return checked


@dataclass(frozen=True)
class GroupView:
    """What one group (staff, or partners) said about one We statement."""

    counts: dict[str, int]
    #: The median position, 0 (not yet) to 3 (fully); between two levels for an even count.
    median: Fraction | None
    #: The middle rating: one level, or the two different levels it falls between; none without
    #: ratings.
    middle: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def group_view(levels: Iterable[str]) -> GroupView:
    given = _check(levels)
    counts = dict.fromkeys(LEVELS, 0)
    counts.update(Counter(given))
    return GroupView(counts=counts, median=_median(given), middle=_middle(given))


def _middle_positions(levels: tuple[str, ...]) -> tuple[int, ...]:
    """The one rating in the middle of the sorted ratings, or the two for an even count."""
    if not levels:
        return ()
    positions = sorted(_POSITION[level] for level in levels)
    middle = len(positions) // 2
    if len(positions) % 2:
        return (positions[middle],)
    return (positions[middle - 1], positions[middle])


def _median(levels: tuple[str, ...]) -> Fraction | None:
    positions = _middle_positions(levels)
    return Fraction(sum(positions), len(positions)) if positions else None


def _middle(levels: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(LEVELS[p] for p in dict.fromkeys(_middle_positions(levels)))


@dataclass(frozen=True)
class Comparison:
    staff: GroupView
    partners: GroupView
    #: Why the views differ (codes above); empty when they do not.
    reasons: tuple[str, ...]

    @property
    def differ(self) -> bool:
        return bool(self.reasons)


def compare(staff: Iterable[str], partners: Iterable[str]) -> Comparison:
    """Staff's and partners' ratings of one We statement, side by side, and whether they differ."""
    staff_view = group_view(staff)
    partner_view = group_view(partners)
    return Comparison(staff_view, partner_view, _reasons(staff_view, partner_view))


def views_differ(staff: Iterable[str], partners: Iterable[str]) -> bool:
    return compare(staff, partners).differ


def _reasons(staff: GroupView, partners: GroupView) -> tuple[str, ...]:
    if staff.median is None or partners.median is None:
        return ()
    reasons = []
    if abs(staff.median - partners.median) >= MEDIANS_APART:
        reasons.append(MEDIANS_FAR_APART)
    if (staff.counts["fully"] and partners.counts["not_yet"]) or (
        partners.counts["fully"] and staff.counts["not_yet"]
    ):
        reasons.append(FULLY_AND_NOT_YET)
    return tuple(reasons)
