"""Diversity monitoring figures: counts per option, with small-number suppression applied.

Only aggregate figures are ever shown, and only through `withpeople.domain.suppression`:

- the organisation's figures and every group's figures are suppressed together
  (`linked_suppression`): one set of answers is hidden in all of them, chosen so that no
  hidden count can be worked out by adding and subtracting any number of shown tables;
- a count below `DIVERSITY_THRESHOLD` (5) is always hidden, and the hidden counts of every
  shown table add up to at least 5, so subtracting the shown ones from the total says nothing;
- the total number of people who answered a question is shown only when it is 5 or more (and,
  for a group, only when the people outside the group who answered are 5 or more too); when it
  is not shown, nothing is;
- a percentage is shown only beside a count that is shown, and is worked out from the total
  by the same rule as every other share (`withpeople.domain.values.percent`, halves up).

Pages must show hidden counts all the same way ("Hidden"): saying which kind of suppression hid
a figure would tell the reader whether it is below 5, which defeats the rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from withpeople.domain.suppression import (
    DIVERSITY_THRESHOLD,
    linked_suppression,
)
from withpeople.domain.values import percent

#: The key of the "Prefer not to say" answer, offered on every question.
PREFER_NOT_TO_SAY = "prefer_not_to_say"


@dataclass(frozen=True)
class OptionFigure:
    key: str
    label: str
    #: None when suppressed.
    count: int | None
    #: Share of everyone who answered the question, 0 to 100, or None when not shown.
    percentage: float | None
    #: What the organisation aims for, 0 to 100, or None when it set no target for this option.
    target_percentage: Decimal | None

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class QuestionFigures:
    options: tuple[OptionFigure, ...]
    #: How many people answered, or None when fewer than the threshold.
    total: int | None

    @property
    def suppressed_count(self) -> int:
        return sum(1 for option in self.options if option.suppressed)

    @property
    def shown_counts(self) -> dict[str, int]:
        return {o.key: o.count for o in self.options if o.count is not None}


def question_figures(
    options: Sequence[tuple[str, str]],
    counts: Mapping[str, int],
    *,
    targets: Mapping[str, Decimal | None] | None = None,
    threshold: int = DIVERSITY_THRESHOLD,
    parts: Mapping[str, Mapping[str, int]] | None = None,
    part: str | None = None,
) -> QuestionFigures:
    """The figures to show for one question.

    `options` are (key, label) pairs in the order to show them; `counts` maps keys to how many
    people in the organisation chose each (missing keys count 0). Every option takes part in
    suppression, including those nobody chose: a 0 is a small number too. `parts` are the same
    counts for every group whose figures anyone can see ({part id: counts}); all of them are
    suppressed together. With `part`, the figures are that group's; without, the organisation's.
    """
    targets = targets or {}
    keys = [key for key, _label in options]
    whole = {key: int(counts.get(key, 0)) for key in keys}
    all_parts = {
        part_id: {key: int(part_counts.get(key, 0)) for key in keys}
        for part_id, part_counts in (parts or {}).items()
    }
    linked = linked_suppression(whole, all_parts, threshold)
    if part is None:
        full, show_total = whole, linked.whole_shown
    else:
        full, show_total = all_parts[part], part in linked.parts_shown
    total = sum(full.values())
    hidden = linked.hidden if show_total else frozenset(keys)
    figures = []
    for key, label in options:
        count = None if key in hidden else full[key]
        percentage = percent(count, total) if count is not None and show_total else None
        figures.append(OptionFigure(key, label, count, percentage, targets.get(key)))
    return QuestionFigures(tuple(figures), total if show_total else None)
