"""What the organisation's overview shows of Making It Real: the review cycles open now."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest

from withpeople.feedback.models import CycleStatus, ReviewCycle


def cycles_section(request: HttpRequest) -> dict:
    """Review cycles open for feedback, with how many responses each has had so far."""
    cycles = ReviewCycle.objects.for_organisation(request.organisation)
    return {
        "open_cycles": cycles.filter(status=CycleStatus.OPEN)
        .annotate(response_count=Count("responses"))
        .order_by("ends_on", "name"),
        "cycle_count": cycles.count(),
    }
