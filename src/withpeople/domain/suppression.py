"""Small-number suppression: the one place where anonymity thresholds are enforced.

Every page, export and API response that shows a count drawn from anonymous answers (check-ins,
feedback) or from diversity monitoring asks this module whether it may. The method follows the
Office for National Statistics' guidance on disclosure control for tables:

- **Primary suppression**: a cell below the threshold is hidden.
- **Secondary suppression**: a reader who knows the total can subtract the shown cells from
  it, which gives the sum of the hidden ones; when exactly one cell is hidden that sum is the
  cell itself, so the next smallest cell (ties broken by key, alphabetically) is hidden with
  it. With two or more hidden cells the reader learns only their sum, never one of them. This
  is the rule both Making It Real results (`withpeople.results/1`) and diversity monitoring
  are defined by, so it is applied exactly as written, to both.
- **Complementary suppression** (`paired_suppressed_keys`): when a breakdown of a part (the
  people in one piece of work's group) is shown beside the same breakdown of the whole (the
  organisation), the reader can subtract one from the other, so the rest of the whole (the
  people outside the group) is protected as well: a cell of the part is hidden when either the
  part's count or the rest's count is below the threshold, every cell hidden in the whole is
  hidden in the part, and the part's hidden cells must also leave the rest's hidden sum at 0 or
  at least the threshold.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

#: Feedback on the I statements: fewer than five answers and nothing is shown.
FEEDBACK_THRESHOLD = 5
#: Diversity monitoring: a count below five is suppressed.
DIVERSITY_THRESHOLD = 5
#: Check-ins ("where do you think this aspect is?"): fewer than three answers, nothing shown.
CHECKIN_THRESHOLD = 3


def is_suppressed(count: int, threshold: int) -> bool:
    """True when a single figure drawn from `count` people must not be shown."""
    return count < threshold


def _safe_sum(total: int, threshold: int) -> bool:
    """A hidden sum the reader may learn: nobody at all, or enough people."""
    return total == 0 or total >= threshold


def _widen(
    hidden: set[str], counts: Mapping[str, int], threshold: int, *, protected
) -> frozenset[str]:
    """Hide the smallest shown cell (ties broken by key) until `protected(hidden)` holds.

    Every cell still shown is at least the threshold, so one more cell is always enough; the
    loop is only a guard.
    """
    while hidden and len(hidden) < len(counts) and not protected(hidden):
        _count, key = min((count, key) for key, count in counts.items() if key not in hidden)
        hidden.add(key)
    return frozenset(hidden)


def suppressed_keys(counts: Mapping[str, int], threshold: int) -> frozenset[str]:
    """The keys of a breakdown whose counts must not be shown.

    Primary: every count below `threshold`. Secondary: when exactly one key is hidden, the
    smallest shown count is hidden too (ties broken by key, alphabetically), so the hidden
    count cannot be worked out by subtracting the shown counts from the total.
    """
    hidden = {key for key, count in counts.items() if count < threshold}
    return _widen(hidden, counts, threshold, protected=lambda keys: len(keys) >= 2)


def total_shown(total: int, threshold: int) -> bool:
    """Whether the total of a breakdown may be shown (below the threshold, nothing is)."""
    return not is_suppressed(total, threshold)


def paired_suppressed_keys(
    part: Mapping[str, int], whole: Mapping[str, int], threshold: int
) -> frozenset[str]:
    """The keys to hide in the breakdown of a part shown beside the breakdown of the whole.

    `part` and `whole` have the same keys, and each count of `part` is at most the same count
    of `whole` (the part's people are some of the whole's). The whole's own breakdown is
    suppressed with `suppressed_keys`; this gives the part's. Hidden in the part:

    - every key hidden in the whole, so the pair of shown counts never meets a hidden one;
    - every key whose part count, or whose rest count (whole minus part), is below the
      threshold (complementary suppression: "9 in the organisation, 5 in the group" would
      say that 4 people outside the group gave that answer);
    - then the smallest shown cells (ties broken by key), until at least two are hidden, the
      part's hidden counts add up to 0 or at least the threshold, and so do the rest's. This is
      stricter than `suppressed_keys` on purpose: the rest is never shown, so a reader who
      subtracts one table from the other must not learn even a small sum of it.
      The rest's hidden sum may be 0 only when every key hidden in the part is hidden in the
      whole too: otherwise "nobody outside the group" would give away a part count as equal to
      the whole's shown one.
    """
    if set(part) != set(whole):
        raise ValueError("the part and the whole must have the same keys")
    rest = {key: whole[key] - part[key] for key in whole}
    if any(count < 0 for count in rest.values()):
        raise ValueError("a part's count cannot be more than the whole's")
    whole_hidden = suppressed_keys(whole, threshold)
    hidden = set(whole_hidden) | {
        key for key in part if part[key] < threshold or rest[key] < threshold
    }

    def protected(keys: Collection[str]) -> bool:
        rest_sum = sum(rest[k] for k in keys)
        return (
            len(keys) >= 2
            and _safe_sum(sum(part[k] for k in keys), threshold)
            and (rest_sum >= threshold or (rest_sum == 0 and set(keys) <= whole_hidden))
        )

    return _widen(hidden, part, threshold, protected=protected)


def paired_total_shown(part_total: int, whole_total: int, threshold: int) -> bool:
    """Whether the part's total may be shown beside the whole's.

    Only when both the part's total and the rest's (whole minus part) are at least the
    threshold: otherwise the two totals would tell how many people outside the part answered.
    When it is not shown, every cell of the part is hidden too (each is below the threshold
    itself, or leaves a rest below it).
    """
    return not is_suppressed(part_total, threshold) and not is_suppressed(
        whole_total - part_total, threshold
    )
