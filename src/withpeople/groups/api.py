"""API endpoints for groups, mounted under /api/v1/."""

from __future__ import annotations

from django.db.models import Count, Max, Q
from django.http import HttpRequest
from ninja import Router, Schema

from withpeople.groups.access import visible_groups
from withpeople.organisations.access import membership_for

router = Router(tags=["groups"])


class GroupOut(Schema):
    id: int
    name: str
    kind: str
    current_members: int
    past_members: int
    agreement_version: int | None
    agreement_published: bool


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
