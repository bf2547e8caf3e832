"""Diversity monitoring figures: counts per option, with small-number suppression applied.

Only aggregate figures are ever shown, and only through `withpeople.domain.suppression`:

- a count below `DIVERSITY_THRESHOLD` (5) is hidden, and when exactly one count in a
  question's breakdown is hidden the next smallest is hidden too, so the hidden one cannot be
  worked out by subtracting the shown ones from the total (ONS disclosure control, primary and
  secondary suppression);
- the figures of a piece of work's group are shown beside the organisation's, so they are
  suppressed as a pair: a count is hidden also when the rest of the organisation's count for
  that answer (organisation minus group) is below 5 (complementary suppression);
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
    paired_suppressed_keys,
    paired_total_shown,
    suppressed_keys,
    total_shown,
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
    whole_counts: Mapping[str, int] | None = None,
) -> QuestionFigures:
    """The figures to show for one question.

    `options` are (key, label) pairs in the order to show them; `counts` maps keys to how many
    people chose each (missing keys count 0). Every option takes part in suppression, including
    those nobody chose: a 0 is a small number too. With `whole_counts`, `counts` are a part of
    those (a group within the organisation) and are suppressed as a pair with them.
    """
    targets = targets or {}
    full = {key: int(counts.get(key, 0)) for key, _label in options}
    total = sum(full.values())
    if whole_counts is None:
        hidden = suppressed_keys(full, threshold)
        show_total = total_shown(total, threshold)
    else:
        whole = {key: int(whole_counts.get(key, 0)) for key, _label in options}
        hidden = paired_suppressed_keys(full, whole, threshold)
        show_total = paired_total_shown(total, sum(whole.values()), threshold)
    if not show_total:
        hidden = frozenset(full)
    figures = []
    for key, label in options:
        count = None if key in hidden else full[key]
        percentage = percent(count, total) if count is not None and show_total else None
        figures.append(OptionFigure(key, label, count, percentage, targets.get(key)))
    return QuestionFigures(tuple(figures), total if show_total else None)
