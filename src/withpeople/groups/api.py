"""API endpoints for groups, mounted under /api/v1/."""

from __future__ import annotations

from django.db.models import Count, Max, Q
from django.http import HttpRequest
from ninja import Router, Schema

from withpeople.groups.selectors import organisation_dashboard
from withpeople.organisations.access import membership_for
from withpeople.works.access import visible_groups

router = Router(tags=["groups"])


class GroupOut(Schema):
    id: int
    name: str
    kind: str
    current_members: int
    past_members: int
    agreement_version: int | None
    agreement_published: bool


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


@router.get("/organisations/{slug}/groups", response=list[GroupOut])
def list_groups(request: HttpRequest, slug: str):
    """The organisation's groups, with how many people are in them and their agreement."""
    membership = membership_for(request.auth, slug)
    groups = (
        visible_groups(membership)
        .annotate(
            current=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            past=Count("members", filter=Q(members__left_on__isnull=False), distinct=True),
            version=Max("agreement__versions__number"),
        )
        .select_related("agreement")
        .order_by("kind", "name")
    )
    return [
        {
            "id": group.pk,
            "name": group.name,
            "kind": group.kind,
            "current_members": group.current,
            "past_members": group.past,
            "agreement_version": group.version,
            "agreement_published": bool(
                getattr(getattr(group, "agreement", None), "published_at", None)
            ),
        }
        for group in groups
    ]


@router.get("/organisations/{slug}/values", response=ValuesOut)
def organisation_values(request: HttpRequest, slug: str):
    """How the organisation lives up to the values of co-production, across all its work."""
    membership = membership_for(request.auth, slug)
    return organisation_dashboard(membership.organisation)
