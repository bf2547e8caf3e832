"""API endpoints for the values of co-production, mounted under /api/v1/."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from withpeople.organisations.access import membership_for
from withpeople.values.selectors import organisation_dashboard

router = Router(tags=["groups"])


class ValuesOut(Schema):
    partner_share_percent: float | None
    places: int
    groups: int
    groups_with_partner_chair: int
    decisions: int
    decisions_with_feedback: int
    median_days_to_feedback: int | None
    works: int
    works_with_frontline: int
    works_with_back_office: int
    openness_published: int
    agreements_published: int


@router.get("/organisations/{slug}/values", response=ValuesOut)
def organisation_values(request: HttpRequest, slug: str):
    """How the organisation lives up to the values of co-production, across all its work."""
    membership = membership_for(request.auth, slug)
    return organisation_dashboard(membership.organisation)
