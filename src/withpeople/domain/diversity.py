"""Diversity monitoring figures: counts per option, with small-number suppression applied.

Only aggregate figures are ever shown, and only through `withpeople.domain.suppression`:

- a count below `DIVERSITY_THRESHOLD` (5) is hidden, and when exactly one count in a question's
  breakdown is hidden the next smallest is hidden too, so the hidden one cannot be worked out by
  subtracting the shown ones from the total (ONS disclosure control, primary and secondary
  suppression);
- the total number of people who answered a question is shown only when it is 5 or more (if it
  is below 5 every count is below 5 too, so nothing at all is shown);
- a percentage is shown only beside a count that is shown, and is worked out from the total.

Pages must show hidden counts all the same way ("fewer than 5 or hidden"): saying which kind of
suppression hid a figure would tell the reader it is 5 or more, which defeats the rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from withpeople.domain.suppression import DIVERSITY_THRESHOLD, is_suppressed, suppress

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
) -> QuestionFigures:
    """The figures to show for one question.

    `options` are (key, label) pairs in the order to show them; `counts` maps keys to how many
    people chose each (missing keys count 0). Every option takes part in suppression, including
    those nobody chose: a 0 is a small number too.
    """
    targets = targets or {}
    full = {key: int(counts.get(key, 0)) for key, _label in options}
    total = sum(full.values())
    shown = suppress(full, threshold)
    total_shown = None if is_suppressed(total, threshold) else total
    figures = []
    for key, label in options:
        count = shown[key]
        percentage = (
            round(100 * count / total_shown, 1)
            if count is not None and total_shown is not None
            else None
        )
        figures.append(OptionFigure(key, label, count, percentage, targets.get(key)))
    return QuestionFigures(tuple(figures), total_shown)
