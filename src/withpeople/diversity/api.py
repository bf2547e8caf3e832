"""API endpoints for diversity monitoring, mounted under /api/v1/.

Only suppressed diversity figures are offered here; nobody's own answers ever are.
"""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from withpeople.diversity.selectors import diversity_summary
from withpeople.diversity.services import diversity_viewed
from withpeople.organisations.access import membership_for

router = Router(tags=["diversity"])


class DiversityOptionOut(Schema):
    key: str
    label: str
    count: int | None
    percentage: float | None
    target_percentage: Decimal | None
    suppressed: bool


class DiversityQuestionOut(Schema):
    id: int
    name: str
    question: str
    target_description: str
    total: int | None
    suppressed_count: int
    options: list[DiversityOptionOut]


@router.get("/organisations/{slug}/diversity", response=list[DiversityQuestionOut])
def diversity_figures(request: HttpRequest, slug: str, work: int | None = None):
    """Diversity monitoring figures, per question, with small numbers suppressed.

    A count below 5 is null, and when only one count in a question would be null the next
    smallest is null too. `total` is null below 5. With `work`, only the current members of
    that piece of work's group are counted.
    """
    membership = membership_for(request.auth, slug)
    organisation = membership.organisation
    piece_of_work = None
    if work is not None:
        from withpeople.works.access import visible_works

        piece_of_work = visible_works(membership).filter(pk=work).first()
        if piece_of_work is None:
            raise Http404
    summary = diversity_summary(organisation=organisation, work=piece_of_work)
    diversity_viewed(
        organisation=organisation,
        actor=request.auth,
        figures=summary,
        detail="API" + (f", work {piece_of_work.pk}" if piece_of_work else ""),
    )
    return summary
