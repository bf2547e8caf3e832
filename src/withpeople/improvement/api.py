"""API endpoints for improvement, mounted under /api/v1/."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from withpeople.feedback.models import ReviewCycle
from withpeople.improvement.models import Action
from withpeople.organisations.access import membership_for
from withpeople.organisations.models import Membership

router = Router(tags=["improvement"])


class ActionOut(Schema):
    id: int
    title: str
    description: str
    status: str
    explanation: str
    due_on: date | None
    published: bool
    statements: list[str]
    owners: list[str]
    stories_linked: int


@router.get(
    "/organisations/{slug}/cycles/{cycle}/actions",
    response=list[ActionOut],
    summary="The action plan of a review cycle",
)
def list_cycle_actions(request: HttpRequest, slug: str, cycle: str):
    """Every action in the review cycle, with its status, the statement keys it is linked to and
    the names of its owners. Stories are counted, not included. 404 if you are not a member."""
    membership = membership_for(request.auth, slug)
    review_cycle = get_object_or_404(
        ReviewCycle.objects.for_organisation(membership.organisation), slug=cycle
    )
    actions = (
        Action.objects.for_organisation(membership.organisation)
        .filter(cycle=review_cycle)
        .prefetch_related(
            "statements",
            "stories",
            Prefetch("owners", queryset=Membership.objects.select_related("user")),
        )
    )
    return [
        ActionOut(
            id=action.pk,
            title=action.title,
            description=action.description,
            status=action.status,
            explanation=action.explanation,
            due_on=action.due_on,
            published=action.published,
            statements=[s.key for s in action.statements.all()],
            owners=[m.user.name for m in action.owners.all()],
            stories_linked=len(action.stories.all()),
        )
        for action in actions
    ]
