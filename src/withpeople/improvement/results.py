"""A review cycle's results, as the improvement pages need them.

The figures are the ``withpeople.results/1`` JSON, already suppressed, from the feedback app's
selectors (`withpeople.feedback.selectors.cycle_results`): every page and export shows the same
numbers, and small-number suppression comes only from `withpeople.domain.suppression` through
`compute_results`. Nothing in this app counts raw answers itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import OuterRef, Subquery

from withpeople.domain.mir.results import change_since
from withpeople.feedback import selectors
from withpeople.feedback.models import (
    ResultsStep,
    ReviewCycle,
    Statement,
    StatementKind,
    Story,
    Theme,
)


def cycle_results(cycle: ReviewCycle) -> dict[str, Any]:
    """The cycle's results, small numbers suppressed (format ``withpeople.results/1``)."""
    return selectors.cycle_results(cycle)


def results_refreshed_at(cycle: ReviewCycle):
    """When the cycle's figures were last refreshed (published as a step), or None."""
    return selectors.results_refreshed_at(cycle)


def previous_cycle(cycle: ReviewCycle) -> ReviewCycle | None:
    return selectors.previous_cycle(cycle)


def cycle_stories(cycle: ReviewCycle, *, chosen_only: bool = False) -> list[Story]:
    """The cycle's stories, theme by theme in framework order."""
    return [
        story
        for group in selectors.cycle_stories(cycle, chosen_only=chosen_only)
        for story in group.stories
    ]


# --- what the pages show ------------------------------------------------------------------


@dataclass
class StatementResult:
    statement: Statement
    figures: dict[str, Any]
    change: float | None

    @property
    def suppressed(self) -> bool:
        return self.figures["suppressed"]


@dataclass
class ThemeResult:
    theme: Theme
    figures: dict[str, Any]
    change: float | None
    statements: list[StatementResult] = field(default_factory=list)
    we_statements: list[Statement] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.figures["suppressed"]


@dataclass
class CycleResults:
    cycle: ReviewCycle
    results: dict[str, Any]
    previous: ReviewCycle | None
    themes: list[ThemeResult]

    @property
    def responses(self) -> int:
        return self.results["responses"]

    def statement(self, key: str) -> StatementResult | None:
        for theme in self.themes:
            for entry in theme.statements:
                if entry.statement.key == key:
                    return entry
        return None


class ResultsVersion(NamedTuple):
    """Everything the figures of a cycle's results are drawn from (see `results_version`)."""

    cycle: int
    framework: int
    #: (pk, published_at) of the cycle's last published step, or None before the first.
    step: tuple | None
    previous: tuple | None
    previous_step: tuple | None
    themes: list
    statements: list

    @property
    def refreshed_at(self):
        return None if self.step is None else self.step[1]


def results_version(cycle: ReviewCycle, previous: ReviewCycle | None) -> ResultsVersion:
    """Everything the figures of a cycle's results are drawn from, in a few small queries: the
    cycle's last published step and the previous cycle's (for the change), and every stored
    field of the framework's themes and statements. Figures drawn once are kept under it
    (withpeople.core.fragments), so a new step or a reworded statement is shown at once."""
    from withpeople.core.fragments import fingerprint

    # Each cycle's last step, by its name only (not its counts), in one query for both: each
    # read through the index of a cycle's steps by date, however many steps a cycle has had.
    latest = ResultsStep.objects.filter(cycle=OuterRef("pk")).order_by("-published_at", "-pk")
    last = {
        cycle_id: (pk, published_at)
        for cycle_id, pk, published_at in ReviewCycle.objects.filter(
            pk__in=[cycle.pk] if previous is None else [cycle.pk, previous.pk]
        )
        .annotate(
            step_pk=Subquery(latest.values("pk")[:1]),
            step_at=Subquery(latest.values("published_at")[:1]),
        )
        .values_list("pk", "step_pk", "step_at")
        if pk is not None
    }

    return ResultsVersion(
        cycle=cycle.pk,
        framework=cycle.framework_id,
        step=last.get(cycle.pk),
        previous=None if previous is None else (previous.pk, previous.framework_id),
        previous_step=None if previous is None else last.get(previous.pk),
        themes=fingerprint(Theme.objects.filter(framework=cycle.framework_id).order_by("pk")),
        statements=fingerprint(
            Statement.objects.filter(theme__framework=cycle.framework_id).order_by("pk")
        ),
    )


class YouSaidWeDidVersion(NamedTuple):
    """Everything the body of You said, we did is drawn from (see `you_said_we_did_version`)."""

    results: ResultsVersion
    #: Every stored field of the cycle and of its organisation.
    page: list
    #: (id, theme, text, day) of each chosen story, in the order the page shows them.
    stories: list
    #: Every stored field of each published action, in the order the page shows them.
    actions: list
    #: (action, statement, its wording) for each statement a published action answers.
    action_statements: list


def you_said_we_did_version(cycle: ReviewCycle) -> YouSaidWeDidVersion:
    """Everything the body of You said, we did (full and easy read) is drawn from, in a few
    small queries of the cycle's own rows: the figures' version (`results_version`), the
    cycle and its organisation, the chosen stories and the published actions with the
    statements they answer. A story chosen or taken off, an action changed, published or
    withdrawn, or a new step makes a new version at once."""
    from withpeople.core.fragments import fingerprint
    from withpeople.improvement.models import Action

    actions = Action.objects.for_organisation(cycle.organisation_id).filter(cycle=cycle).published()
    return YouSaidWeDidVersion(
        results=results_version(cycle, previous_cycle(cycle)),
        page=fingerprint([cycle, cycle.organisation]),
        stories=list(
            Story.objects.filter(cycle=cycle, chosen_for_publication=True)
            .order_by("response__submitted_on", "id")
            .values_list("id", "theme_id", "text", "response__submitted_on")
        ),
        actions=list(
            actions.values_list(*(field.attname for field in Action._meta.concrete_fields))
        ),
        action_statements=list(
            Action.statements.through.objects.filter(action__in=actions)
            .order_by("pk")
            .values_list("action_id", "statement_id", "statement__text")
        ),
    )


def results_for_pages(cycle: ReviewCycle, *, stories=None) -> CycleResults:
    """The results joined to the cycle's themes and statements, in framework order."""
    results = cycle_results(cycle)
    previous = previous_cycle(cycle)
    # Worked from the results already in hand, rather than counting this cycle twice.
    change = change_since(results, cycle_results(previous)) if previous is not None else {}
    by_statement = {entry["key"]: entry for entry in results["statements"]}
    by_theme = {entry["key"]: entry for entry in results["themes"]}
    stories_by_theme: dict[int, list[Story]] = {}
    for story in stories if stories is not None else cycle_stories(cycle):
        stories_by_theme.setdefault(story.theme_id, []).append(story)
    themes = []
    for theme in Theme.objects.filter(framework=cycle.framework).prefetch_related("statements"):
        entry = ThemeResult(
            theme=theme,
            figures=by_theme.get(theme.key, _NOTHING),
            change=change.get(f"theme:{theme.key}"),
            stories=stories_by_theme.get(theme.pk, []),
        )
        for statement in theme.statements.all():
            if statement.kind == StatementKind.I:
                entry.statements.append(
                    StatementResult(
                        statement=statement,
                        figures=by_statement.get(statement.key, _NOTHING_STATEMENT),
                        change=change.get(statement.key),
                    )
                )
            else:
                entry.we_statements.append(statement)
        themes.append(entry)
    return CycleResults(cycle=cycle, results=results, previous=previous, themes=themes)


_NOTHING: dict[str, Any] = {"suppressed": True, "answered": None, "positive_percent": None}
_NOTHING_STATEMENT: dict[str, Any] = _NOTHING | {"counts": None, "by_perspective": {}}
