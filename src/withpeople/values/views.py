"""The values of co-production: the relationship over time and the values dashboards."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from withpeople.diversity.services import diversity_viewed
from withpeople.domain.rights import Right
from withpeople.domain.suppression import DIVERSITY_THRESHOLD
from withpeople.groups.access import group_view, visible_groups
from withpeople.organisations.access import organisation_view
from withpeople.values import selectors
from withpeople.works.access import work_or_404

# --- The relationship over time ------------------------------------------------------------------


@organisation_view()
@require_http_methods(["GET"])
def relationships(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "values/relationships.html",
        {
            "group": None,
            "relationships": selectors.relationships(
                request.organisation, among=visible_groups(request.membership)
            ),
        },
    )


@group_view(right=Right.READ)
@require_http_methods(["GET"])
def group_relationships(request: HttpRequest, pk: int) -> HttpResponse:
    group = request.group  # type: ignore[attr-defined]
    return render(
        request,
        "values/relationships.html",
        {"group": group, "relationships": selectors.relationships(request.organisation, group)},
    )


# --- Values --------------------------------------------------------------------------------------


@organisation_view()
@require_http_methods(["GET"])
def values_dashboard(request: HttpRequest) -> HttpResponse:
    dashboard = selectors.organisation_dashboard(request.organisation)
    diversity_viewed(
        organisation=request.organisation,
        actor=request.user,
        figures=dashboard["diversity"],
        detail="values dashboard",
    )
    return render(
        request,
        "values/values.html",
        {"dashboard": dashboard, "work": None, "threshold": DIVERSITY_THRESHOLD},
    )


@organisation_view()
@require_http_methods(["GET"])
def work_values(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_or_404(request.membership, work_id)
    dashboard = selectors.work_dashboard(work)
    diversity_viewed(
        organisation=request.organisation,
        actor=request.user,
        figures=dashboard["diversity"],
        detail=f"values dashboard, work {work.pk}",
    )
    return render(
        request,
        "values/work_values.html",
        {"dashboard": dashboard, "work": work, "threshold": DIVERSITY_THRESHOLD},
    )
