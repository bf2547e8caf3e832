"""Small-number suppression: the one place where anonymity thresholds are enforced.

Every page, export and API response that shows a count drawn from anonymous answers (check-ins,
feedback) or from diversity monitoring asks this module whether it may. The method follows the
Office for National Statistics' guidance on disclosure control for tables: a cell below the
threshold is suppressed (primary suppression), and when a breakdown would have exactly one
suppressed cell, the next smallest cell is suppressed too (secondary suppression), so that the
hidden figure cannot be worked out by subtracting the shown ones from a total.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Feedback on the I statements: fewer than five answers and nothing is shown.
FEEDBACK_THRESHOLD = 5
#: Diversity monitoring: a count below five is suppressed.
DIVERSITY_THRESHOLD = 5
#: Check-ins ("where do you think this aspect is?"): fewer than three answers, nothing shown.
CHECKIN_THRESHOLD = 3


def is_suppressed(count: int, threshold: int) -> bool:
    """True when a single figure drawn from `count` people must not be shown."""
    return count < threshold


def suppressed_keys(counts: Mapping[str, int], threshold: int) -> frozenset[str]:
    """The keys of a breakdown whose counts must not be shown.

    Primary: every count below `threshold`. Secondary: when exactly one key is suppressed, the
    smallest of the others is suppressed too (ties broken by key, alphabetically), so the hidden
    count cannot be derived by subtraction from the total.
    """
    primary = {key for key, count in counts.items() if count < threshold}
    if len(primary) != 1:
        return frozenset(primary)
    others = sorted((count, key) for key, count in counts.items() if key not in primary)
    if others:
        primary.add(others[0][1])
    return frozenset(primary)


def suppress(counts: Mapping[str, int], threshold: int) -> dict[str, int | None]:
    """The breakdown with every suppressed count replaced by None, keys in their given order."""
    hidden = suppressed_keys(counts, threshold)
    return {key: (None if key in hidden else count) for key, count in counts.items()}
