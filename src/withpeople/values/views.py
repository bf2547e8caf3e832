"""The values of co-production: the relationship over time and the values dashboards."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from withpeople.diversity.services import diversity_viewed
from withpeople.domain.suppression import DIVERSITY_THRESHOLD
from withpeople.groups.models import Group
from withpeople.organisations.access import organisation_view
from withpeople.values import selectors


def _group(request: HttpRequest, pk: int) -> Group:
    return get_object_or_404(Group.objects.for_organisation(request.organisation), pk=pk)


# --- The relationship over time ------------------------------------------------------------------


@organisation_view()
@require_http_methods(["GET"])
def relationships(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "values/relationships.html",
        {"group": None, "relationships": selectors.relationships(request.organisation)},
    )


@organisation_view()
@require_http_methods(["GET"])
def group_relationships(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
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
    from withpeople.works.models import Work

    work = get_object_or_404(
        Work.objects.for_organisation(request.organisation).select_related("organisation"),
        pk=work_id,
    )
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
