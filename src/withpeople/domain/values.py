"""Does the work live up to the values of co-production? Figures in plain Python.

TLAP's values of co-production: everyone is equal and valued; diversity is an asset; knowledge,
power and decisions are shared openly; frontline and back-office staff are included too. The
figures here show, from the record, how far a piece of work lives up to them:

- ``partner_share_percent``: partners' share of all the places at activities (one place is one
  person at one activity). Equal seats mean partners are there, not just invited.
- ``partner_chairs``: whether a partner chairs or co-chairs the group. Sharing power includes
  sharing the chair.
- ``median_days_to_feedback``: how long partners waited, in the middle case, to hear what was
  decided (closing the loop).
- ``decisions_without_feedback``: decisions partners have not yet been told the outcome of.

Every function takes plain values, so the same rules serve the portable record, the web pages
and the organisation-wide figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from withpeople.domain.ladder import is_partner
from withpeople.domain.work_record import WorkRecord

#: The roles in a group that lead it.
CHAIR_ROLES: frozenset[str] = frozenset({"chair", "co_chair"})


def percent(part: int | float | Decimal, whole: int | float | Decimal) -> float | None:
    """`part` as a percentage of `whole`, to one decimal place, halves rounded up.

    None when `whole` is zero: a share of nothing is not a number, and showing "0%" would say
    something false. Rounding goes through `decimal` so that 12.25 becomes 12.3 rather than
    following binary floating point.
    """
    if not whole:
        return None
    value = Decimal(str(part)) * 100 / Decimal(str(whole))
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def lower_median(values: Sequence[int]) -> int | None:
    """The lower median: for n values in order, the one at position ⌊(n-1)/2⌋; None for none.

    The lower median is always a value that happened, and with an even number it leans towards
    the shorter wait, so it never overstates a delay that no decision had.
    """
    if not values:
        return None
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def lower_median_of_counts(counts: Mapping[int, int]) -> int | None:
    """`lower_median` of values given as how many times each occurs (value -> count), as a
    database gives them grouped: the same answer without listing every value."""
    total = sum(counts.values())
    if not total:
        return None
    position = (total - 1) // 2
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen > position:
            return value
    raise AssertionError("unreachable")


def days_to_feedback(decided: Iterable[tuple[dt.date, dt.date | None]]) -> list[int]:
    """Whole days from each decision to partners being told, for decisions that have feedback."""
    return [(told - date).days for date, told in decided if told is not None]


def chairs_include_partner(people: Iterable[tuple[str, str]]) -> bool:
    """True when someone with a partner perspective holds a chair or co-chair role.

    `people` gives (perspective, role) pairs.
    """
    return any(role in CHAIR_ROLES and is_partner(perspective) for perspective, role in people)


def time_recognised_percent(
    recognised_hours: int | float | Decimal, recorded_hours: int | float | Decimal
) -> float | None:
    """Share of partners' recorded time that was recognised the way each person chose.

    Takes the hours partners recorded and the hours recognised as they asked (payment, vouchers
    or other thanks); None when no time has been recorded.
    """
    return percent(recognised_hours, recorded_hours)


def work_values(record: WorkRecord) -> dict[str, Any]:
    """The values figures of a piece of work, ready for JSON.

    ``partner_share_percent`` is None when no places were taken at activities (including when
    there are no activities); ``median_days_to_feedback`` is None when no decision has feedback.
    """
    partners = {person.ref for person in record.people if is_partner(person.perspective)}
    places = 0
    partner_places = 0
    for activity in record.activities:
        places += len(activity.participants)
        partner_places += sum(1 for ref in activity.participants if ref in partners)
    return {
        "partner_share_percent": percent(partner_places, places),
        "partner_chairs": chairs_include_partner(
            (person.perspective, person.role) for person in record.people
        ),
        "median_days_to_feedback": lower_median(
            days_to_feedback((d.date, d.feedback_given_on) for d in record.decisions)
        ),
        "decisions_without_feedback": sum(
            1 for decision in record.decisions if decision.feedback_given_on is None
        ),
    }


# --- A long-term relationship --------------------------------------------------------------------


def held_while_member(
    activity_dates: Iterable[dt.date],
    joined_on: dt.date,
    left_on: dt.date | None,
    attended_dates: Iterable[dt.date] = (),
) -> int:
    """How many activities happened while someone was in the group, both end days included.

    Someone who came to an activity was in the group by then, even if the date they joined was
    recorded later (people are often added to the record after they started), so their time
    starts at the earlier of the two. Otherwise they could attend more than were held.
    """
    joined_on = min([joined_on, *attended_dates])
    return sum(
        1 for date in activity_dates if joined_on <= date and (left_on is None or date <= left_on)
    )


def membership_by_year(
    periods: Iterable[tuple[dt.date, dt.date | None]], today: dt.date
) -> list[dict[str, int]]:
    """Year by year, from the first join to this year: who joined, who left, who was there.

    `periods` gives each membership's (joined_on, left_on). ``at_end`` counts the people still
    in the group at the end of the year (or today, for this year).
    """
    periods = list(periods)
    if not periods:
        return []
    first = min(joined for joined, _left in periods).year
    years = []
    for year in range(first, today.year + 1):
        end = min(dt.date(year, 12, 31), today)
        years.append(
            {
                "year": year,
                "joined": sum(1 for joined, _left in periods if joined.year == year),
                "left": sum(
                    1 for _joined, left in periods if left is not None and left.year == year
                ),
                "at_end": sum(
                    1 for joined, left in periods if joined <= end and (left is None or left > end)
                ),
            }
        )
    return years
