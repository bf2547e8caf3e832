"""Helpers shared by the feedback tests."""

from __future__ import annotations

from withpeople.feedback.models import CycleStatus, ReviewCycle, Statement, StatementKind
from withpeople.feedback.services import cycle_create, cycle_set_status, default_framework


def make_cycle(organisation, slug: str = "spring", *, status: str = CycleStatus.OPEN, **extra):
    cycle = cycle_create(
        organisation=organisation,
        slug=slug,
        name=slug.replace("-", " ").title(),
        framework=default_framework(),
        **extra,
    )
    if status != CycleStatus.DRAFT:
        cycle_set_status(cycle=cycle, status=status)
    return ReviewCycle.objects.select_related("framework", "organisation").get(pk=cycle.pk)


def i_keys(cycle) -> list[str]:
    return list(
        Statement.objects.filter(theme__framework=cycle.framework, kind=StatementKind.I)
        .order_by("theme__position", "position")
        .values_list("key", flat=True)
    )


def we_key(cycle) -> str:
    return (
        Statement.objects.filter(theme__framework=cycle.framework, kind=StatementKind.WE)
        .values_list("key", flat=True)
        .first()
    )
