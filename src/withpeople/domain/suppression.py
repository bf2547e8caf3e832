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
- **Linked suppression** (`linked_suppression`): when breakdowns of overlapping groups of the
  same people are shown (the organisation, and each piece of work's group), a reader can add
  and subtract any number of them. One set of hidden keys is chosen for all of them together,
  so that the hidden keys' sums are the only thing the tables say about them, and each such
  sum is at least the threshold. ``docs/decisions/0016-suppression-audit.md`` says
  why, and ``tests/test_suppression_audit.py`` proves it with an integer linear programme.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

#: Feedback on the I statements: fewer than five answers and nothing is shown.
FEEDBACK_THRESHOLD = 5
#: Diversity monitoring: a count below five is suppressed.
DIVERSITY_THRESHOLD = 5
#: Check-ins ("where do you think this aspect is?"): fewer than three answers, nothing shown.
CHECKIN_THRESHOLD = 3


def is_suppressed(count: int, threshold: int) -> bool:
    """True when a single figure drawn from `count` people must not be shown."""
    return count < threshold


def _safe_rest(total: int, threshold: int) -> bool:
    """A hidden sum of the rest beside a group: nobody at all, or enough people."""
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


@dataclass(frozen=True)
class LinkedSuppression:
    """What may be shown of one breakdown across every table a reader can see.

    `hidden` are the keys hidden in every table that is shown; `whole_shown` says whether the
    whole's table (its total and its shown cells) is shown at all; `parts_shown` are the parts
    whose tables are shown. A part not shown shows nothing, not even its total.
    """

    hidden: frozenset[str]
    whole_shown: bool
    parts_shown: frozenset[str]


def linked_suppression(
    whole: Mapping[str, int], parts: Mapping[str, Mapping[str, int]], threshold: int
) -> LinkedSuppression:
    """One pattern of hidden keys for a breakdown of the whole and of every part of it.

    `whole` is the breakdown of everyone (the organisation); `parts` are the same breakdown of
    groups of them ({part id: {key: count}}), which may overlap in any way. A reader who sees
    all of these tables can add and subtract them as they like; the rule makes that useless:

    1. **Tables.** The whole's table is shown when its total is at least the threshold. A
       part's is shown when its total, and the total of the rest of the whole, are both at
       least the threshold. Any other part shows nothing at all.
    2. **One set of hidden keys, `H`, for every table.** A key is hidden everywhere when its
       count is below the threshold in the whole or in a shown part, when the rest of the
       whole beside a shown part is below the threshold for it, or when anyone in a part that
       is not shown gave it.
    3. **Enough hidden.** While fewer than two keys are hidden, or the hidden keys add up to
       fewer than the threshold in any shown table, or to between 1 and the threshold in the
       rest beside a shown part, the key with the smallest count in the whole (ties broken by
       key) is hidden too.

    Why it holds for any number of tables: every shown figure outside `H` is a count of one
    key, and the only thing any table says about the keys in `H` is their sum in that table.
    Moving people's answers between the keys of `H`, each person keeping their groups, changes
    no figure that is shown, so any hidden count in a shown table could be anything from 0 to
    that table's hidden sum, which is at least the threshold. A part that is not shown holds
    only answers in `H`, so the same moves leave the reader unable to tell any of its counts.
    """
    keys = set(whole)
    for part_id, part in parts.items():
        if set(part) != keys:
            raise ValueError(f"part {part_id!r} must have the same keys as the whole")
        if any(part[key] > whole[key] or part[key] < 0 for key in keys):
            raise ValueError(f"part {part_id!r} has a count outside 0 and the whole's")
    whole_total = sum(whole.values())
    if whole_total < threshold:
        return LinkedSuppression(frozenset(keys), False, frozenset())
    shown: dict[str, Mapping[str, int]] = {}
    hidden: set[str] = {key for key in keys if whole[key] < threshold}
    rests: list[dict[str, int]] = []
    for part_id, part in parts.items():
        part_total = sum(part.values())
        if part_total >= threshold and whole_total - part_total >= threshold:
            shown[part_id] = part
            rest = {key: whole[key] - part[key] for key in keys}
            rests.append(rest)
            hidden |= {key for key in keys if part[key] < threshold or rest[key] < threshold}
        else:
            hidden |= {key for key in keys if part[key] > 0}
    tables = [whole, *shown.values()]

    def protected(chosen: Collection[str]) -> bool:
        return (
            len(chosen) >= 2
            and all(sum(table[key] for key in chosen) >= threshold for table in tables)
            and all(_safe_rest(sum(rest[key] for key in chosen), threshold) for rest in rests)
        )

    while hidden and len(hidden) < len(keys) and not protected(hidden):
        _count, key = min((whole[key], key) for key in keys if key not in hidden)
        hidden.add(key)
    return LinkedSuppression(frozenset(hidden), True, frozenset(shown))


# --- feedback results change only in published steps ---------------------------------------

#: (I statement key, perspective or "", answer): one kept count of a cycle's answers.
StepKey = tuple[str, str, str]


@dataclass(frozen=True)
class ResultsStep:
    """The counts a cycle's feedback results are shown from, until the next step."""

    answers: Mapping[StepKey, int]
    responses: int


def next_results_step(
    published: ResultsStep | None, live: ResultsStep, threshold: int = FEEDBACK_THRESHOLD
) -> ResultsStep:
    """The counts to publish next, given the last published step and the counts kept now.

    Live results would let a reader who looks just before and just after one answer see what
    that person said. So results change only in steps, and a step never moves a figure by
    fewer than `threshold` answers:

    - the first step publishes every count: there is nothing earlier to subtract it from, and
      the results' own suppression hides small numbers;
    - after that, the answers to one I statement from one perspective (or from people who gave
      none) move together, and only when at least `threshold` of them have changed since the
      last step (each answer added or taken away counts once); otherwise they stay as they
      were. A statement's total, a theme's and a perspective's figures are sums of these, so
      each moves by 0 or by at least `threshold` answers too;
    - the number of responses moves only by at least `threshold` as well.

    How often steps are taken (once a day, and when a cycle closes) is the caller's business.
    """
    if published is None:
        return ResultsStep({key: n for key, n in live.answers.items() if n}, max(live.responses, 0))
    groups: dict[tuple[str, str], int] = {}
    for key in set(published.answers) | set(live.answers):
        changed = abs(live.answers.get(key, 0) - published.answers.get(key, 0))
        groups[key[:2]] = groups.get(key[:2], 0) + changed
    moved = {group for group, changed in groups.items() if changed >= threshold}
    answers = {key: n for key, n in published.answers.items() if key[:2] not in moved and n}
    answers |= {key: n for key, n in live.answers.items() if key[:2] in moved and n}
    responses = (
        live.responses
        if abs(live.responses - published.responses) >= threshold
        else published.responses
    )
    return ResultsStep(answers, responses)
