"""What the organisation's overview shows of Making It Real: the review cycles open now."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from withpeople.feedback.models import CycleStatus, ResponseTally, ReviewCycle


def cycles_section(request: HttpRequest) -> dict:
    """Review cycles open for feedback, with how many responses each has had so far."""
    cycles = ReviewCycle.objects.for_organisation(request.organisation)
    return {
        "open_cycles": cycles.filter(status=CycleStatus.OPEN)
        # From the kept counts of responses (withpeople.feedback.tallies), a few rows a cycle,
        # rather than counting every response.
        .annotate(
            response_count=Coalesce(
                Subquery(
                    ResponseTally.objects.filter(cycle=OuterRef("pk"))
                    .order_by()
                    .values("cycle")
                    .annotate(total=Sum("n"))
                    .values("total")
                ),
                0,
            )
        )
        .order_by("ends_on", "name"),
        "cycle_count": cycles.count(),
    }
