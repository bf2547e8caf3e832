"""The tables of a review cycle's results and action plan, for `withpeople.core.tables`.

The results rows are read straight from the suppressed results (``withpeople.results/1``): a
suppressed figure is an empty cell with "not shown" beside it, never a number. Writing the files
(and neutralising text a spreadsheet would run as a formula) is `withpeople.core.tables`' job.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from withpeople.accounts.models import User
from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.core.tables import FORMATS, Cell, Table
from withpeople.domain.mir.results import ANSWERS
from withpeople.feedback.models import ReviewCycle, Statement
from withpeople.improvement.models import Action
from withpeople.improvement.results import (
    CycleResults,
    previous_cycle,
    results_for_pages,
    results_version,
)
from withpeople.organisations.models import Membership

RESULTS_HEADERS = (
    "level",
    "theme",
    "statement",
    "perspective",
    "wording",
    "shown",
    "answered",
    "positive_percent",
    *ANSWERS,
    "change_percentage_points",
)


def _figures(entry: dict[str, Any]) -> tuple[Cell, ...]:
    if entry["suppressed"]:
        return ("not shown", None, None)
    return ("shown", entry["answered"], entry["positive_percent"])


def results_table(data: CycleResults, *, filename: str) -> Table:
    """One row per theme, per I statement and per perspective group of a statement."""
    rows: list[tuple[Cell, ...]] = []
    no_counts = (None,) * len(ANSWERS)
    for theme in data.themes:
        rows.append(
            (
                "theme",
                theme.theme.key,
                None,
                None,
                theme.theme.title,
                *_figures(theme.figures),
                *no_counts,
                theme.change,
            )
        )
        for entry in theme.statements:
            counts = entry.figures.get("counts")
            rows.append(
                ("statement", theme.theme.key, entry.statement.key, None, entry.statement.text)
                + _figures(entry.figures)
                + (tuple(counts[a] for a in ANSWERS) if counts else no_counts)
                + (entry.change,)
            )
            for perspective, group in entry.figures["by_perspective"].items():
                rows.append(
                    (
                        "perspective",
                        theme.theme.key,
                        entry.statement.key,
                        perspective,
                        None,
                        *_figures(group),
                        *no_counts,
                        None,
                    )
                )
    return Table(title=_("Results"), headers=RESULTS_HEADERS, rows=rows, filename=filename)


ACTIONS_HEADERS = (
    "action",
    "detail",
    "statements",
    "status",
    "explanation",
    "due_on",
    "owners",
    "stories_linked",
    "published",
)


def actions_table(actions: Iterable[Any], *, filename: str) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for action in actions:
        rows.append(
            (
                action.title,
                action.description,
                " ".join(s.key for s in action.statements.all()),
                action.get_status_display(),
                action.explanation,
                action.due_on.isoformat() if action.due_on else None,
                "; ".join(m.user.name for m in action.owners.all()),
                len(action.stories.all()),
                "yes" if action.published else "no",
            )
        )
    return Table(title=_("Actions"), headers=ACTIONS_HEADERS, rows=rows, filename=filename)


def cycle_actions(cycle: ReviewCycle) -> QuerySet[Action]:
    """The cycle's actions with what a page or an export shows of each, in a fixed few queries."""
    return (
        Action.objects.for_organisation(cycle.organisation)
        .filter(cycle=cycle)
        .prefetch_related(
            Prefetch("statements", queryset=Statement.objects.select_related("theme")),
            "stories",
            Prefetch("owners", queryset=Membership.objects.select_related("user")),
        )
    )


#: What a cycle offers to download, and the audit event each download records.
CYCLE_TABLES = {
    "results": AuditEventKind.EXPORTED_RESULTS,
    "actions": AuditEventKind.EXPORTED_ACTIONS,
}


class CycleTable(NamedTuple):
    table: Table
    #: Everything the table is drawn from, when the file may be made once and kept under it
    #: (`withpeople.core.tables.table_response`); None when it is drawn for each download.
    kept_as: tuple | None


def _results_rows(cycle: ReviewCycle) -> Iterator[tuple[Cell, ...]]:
    # Drawn only when the file is made, not when a kept one is sent.
    yield from results_table(results_for_pages(cycle, stories=()), filename="").rows


@transaction.atomic
def cycle_table_export(
    *, cycle: ReviewCycle, what: str, fmt: str, actor: User | None
) -> CycleTable:
    """The results or the action plan of a cycle, to download; the download is audited.

    Results are anonymous aggregates; actions name their owners, so both are recorded. The
    results are the same for everyone who may download them and change only with a new
    published step (or a reworded statement, or another previous cycle), so their file can be
    made once per version of what it shows (`results_version`); the action plan is drawn for
    each download.
    """
    if what not in CYCLE_TABLES or fmt not in FORMATS:
        raise ValueError(f"Nothing to download as {what}.{fmt}")
    filename = f"{cycle.slug}-{what}"  # slugs are safe in a header
    if what == "results":
        table = Table(
            title=_("Results"),
            headers=RESULTS_HEADERS,
            rows=_results_rows(cycle),
            filename=filename,
        )
        kept_as = ("cycle-results", *results_version(cycle, previous_cycle(cycle)))
    else:
        table = actions_table(cycle_actions(cycle), filename=filename)
        kept_as = None
    audit_record(
        organisation=cycle.organisation,
        actor=actor,
        action=CYCLE_TABLES[what],
        subject=cycle,
        detail=fmt,
    )
    return CycleTable(table=table, kept_as=kept_as)
