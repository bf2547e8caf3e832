"""What the organisation's overview shows of self-assessment and action plans."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from withpeople.core.overview import Waiting
from withpeople.feedback.models import CycleStatus, ReviewCycle, Statement, StatementKind
from withpeople.improvement.models import Action, ActionStatus, Rating


def actions_waiting(request: HttpRequest) -> list[Waiting]:
    """Actions this person owns that are not finished: planned or in progress."""
    actions = (
        Action.objects.for_organisation(request.organisation)
        .filter(
            owners=request.membership,
            status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS],
        )
        .select_related("cycle")
        .order_by("due_on", "title")
    )
    return [
        Waiting(
            text=_("Action you own: %(title)s (%(status)s)")
            % {"title": action.title, "status": action.get_status_display().lower()},
            url=reverse(
                "improvement:action-detail",
                kwargs={
                    "org_slug": request.organisation.slug,
                    "cycle_slug": action.cycle.slug,
                    "pk": action.pk,
                },
            ),
            due_on=action.due_on,
            detail=_("Review cycle: %(cycle)s") % {"cycle": action.cycle.name},
        )
        for action in actions
    ]


def ratings_waiting(request: HttpRequest) -> list[Waiting]:
    """Review cycles open for feedback whose We statements this person has not all rated."""
    waiting = []
    # Each cycle with its number of We statements and of this person's ratings: one query,
    # whatever the number of open cycles.
    cycles = (
        ReviewCycle.objects.for_organisation(request.organisation)
        .filter(status=CycleStatus.OPEN)
        .annotate(
            statement_count=_count(
                Statement.objects.filter(
                    theme__framework_id=OuterRef("framework_id"), kind=StatementKind.WE
                ),
                "theme__framework_id",
            ),
            rated_count=_count(
                Rating.objects.filter(cycle=OuterRef("pk"), membership=request.membership),
                "cycle",
            ),
        )
    )
    for cycle in cycles:
        statements = cycle.statement_count
        rated = cycle.rated_count
        if rated >= statements:
            continue
        waiting.append(
            Waiting(
                text=_(
                    "Say where the organisation is on the We statements: you have rated "
                    "%(rated)d of %(statements)d"
                )
                % {"rated": rated, "statements": statements},
                url=reverse(
                    "improvement:self-assessment",
                    kwargs={"org_slug": request.organisation.slug, "cycle_slug": cycle.slug},
                ),
                detail=_("Review cycle: %(cycle)s") % {"cycle": cycle.name},
            )
        )
    return waiting


def _count(rows, by: str) -> Coalesce:
    """How many `rows` there are, as a subquery (0 for none)."""
    return Coalesce(
        Subquery(rows.order_by().values(by).annotate(n=Count("pk")).values("n")[:1]),
        0,
    )
