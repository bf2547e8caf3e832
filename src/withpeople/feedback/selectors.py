"""Reads of Making It Real feedback that pages, exports, commands and the API share.

`cycle_results` is the one way to get a cycle's figures: every page and export shows the same
numbers, with small numbers suppressed by the pure `compute_results`. It reads the cycle's last
published step of counts (`withpeople.feedback.steps`), so it stays fast however many answers a
cycle has, and its figures never move by one answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from withpeople.domain.mir import framework as mir
from withpeople.domain.mir.results import change_since, compute_results
from withpeople.feedback.models import (
    CycleStatus,
    Framework,
    ReviewCycle,
    Statement,
    Story,
    Theme,
)
from withpeople.feedback.steps import published_counts


def framework_as_domain(framework: Framework) -> mir.Framework:
    """The stored framework as the pure domain object, in framework order (one query)."""
    statements = Statement.objects.filter(theme__framework=framework).select_related("theme")
    themes: dict[int, tuple[Theme, list[mir.Statement]]] = {}
    for statement in statements.order_by("theme__position", "theme_id", "position", "id"):
        entry = themes.setdefault(statement.theme_id, (statement.theme, []))
        entry[1].append(
            mir.Statement(
                key=statement.key,
                kind=mir.Kind(statement.kind),
                text=statement.text,
                easy_read=statement.easy_read or None,
            )
        )
    return mir.Framework(
        key=framework.key,
        title=framework.title,
        themes=tuple(
            mir.Theme(key=theme.key, title=theme.title, statements=tuple(items))
            for theme, items in themes.values()
        ),
    )


def cycle_results(cycle: ReviewCycle) -> dict[str, Any]:
    """The cycle's results in the ``withpeople.results/1`` format, small numbers suppressed.

    Read from the cycle's last published step (`withpeople.feedback.steps`), never from the
    counts kept as answers arrive, so results change only in steps that cannot single out one
    answer. Before the first step there are no figures: every statement shows as suppressed.
    """
    step, _row = published_counts(cycle)
    answers: Counter[tuple[str | None, str, str]] = Counter()
    for (key, perspective, answer), n in step.answers.items() if step else ():
        answers[(perspective or None, key, answer)] += n
    return compute_results(
        framework_as_domain(cycle.framework),
        answers,
        cycle=cycle.slug,
        responses=step.responses if step else 0,
    )


def results_refreshed_at(cycle: ReviewCycle):
    """When the cycle's figures were last refreshed (its last published step), or None."""
    _step, row = published_counts(cycle)
    return None if row is None else row.published_at


def _cycle_order(cycle: ReviewCycle) -> tuple:
    return (cycle.starts_on or cycle.created_at.date(), cycle.created_at, cycle.pk)


def previous_cycle(cycle: ReviewCycle) -> ReviewCycle | None:
    """The organisation's cycle before this one (by start date), leaving out drafts."""
    others = (
        ReviewCycle.objects.for_organisation(cycle.organisation_id)
        .exclude(pk=cycle.pk)
        .exclude(status=CycleStatus.DRAFT)
        .select_related("framework")
    )
    here = _cycle_order(cycle)
    earlier = [other for other in others if _cycle_order(other) < here]
    return max(earlier, key=_cycle_order, default=None)


def cycle_change(cycle: ReviewCycle) -> dict[str, float | None] | None:
    """Percentage-point change since the previous cycle, per statement and ``theme:<key>``.

    None when there is no previous cycle. A figure hidden in either cycle has no change (None).
    """
    previous = previous_cycle(cycle)
    if previous is None:
        return None
    return change_since(cycle_results(cycle), cycle_results(previous))


@dataclass(frozen=True)
class ThemeStories:
    theme: Theme
    stories: list[Story]


def cycle_stories(cycle: ReviewCycle, *, chosen_only: bool = False) -> list[ThemeStories]:
    """Every theme of the cycle's framework, in order, with the stories people told about it."""
    stories = Story.objects.filter(cycle=cycle).order_by("response__submitted_on", "id")
    if chosen_only:
        stories = stories.filter(chosen_for_publication=True)
    by_theme: dict[int, list[Story]] = {}
    for story in stories:
        by_theme.setdefault(story.theme_id, []).append(story)
    return [
        ThemeStories(theme=theme, stories=by_theme.get(theme.pk, []))
        for theme in cycle.framework.themes.order_by("position", "id")
    ]
