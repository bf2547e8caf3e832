"""What the organisation's overview shows of pieces of work: check-ins waiting, and the flags."""

from __future__ import annotations

from collections import Counter

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from withpeople.core.domain_text import FLAG_CHOICES
from withpeople.core.overview import Waiting
from withpeople.domain.assessment import assess
from withpeople.works.access import visible_works
from withpeople.works.models import CheckinRound
from withpeople.works.selectors import work_records_for


def checkins_waiting(request: HttpRequest) -> list[Waiting]:
    """Open check-in rounds of the groups this person is in, where they have not answered."""
    membership = request.membership
    rounds = (
        CheckinRound.objects.for_organisation(request.organisation)
        .open()
        .filter(
            work__group__members__membership=membership,
            work__group__members__left_on__isnull=True,
        )
        .exclude(receipts__membership=membership)
        .select_related("work")
        .distinct()
    )
    return [
        Waiting(
            text=_("Check in: say where you think “%(work)s” is on the ladder")
            % {"work": checkin_round.work.title},
            url=reverse(
                "works:checkin",
                kwargs={"org_slug": request.organisation.slug, "pk": checkin_round.work_id},
            ),
            detail=_("Check-in round: %(round)s") % {"round": checkin_round.name},
        )
        for checkin_round in rounds
    ]


def works_section(request: HttpRequest) -> dict:
    """How many pieces of work there are, and how many carry each flag."""
    works = list(visible_works(request.membership))
    records = work_records_for(works)
    flagged: Counter[str] = Counter()
    with_flags = 0
    for work in works:
        assessment = assess(records[work.pk])
        flags = {flag for aspect in assessment["aspects"] for flag in aspect["flags"]}
        flags |= set(assessment["work"]["flags"])
        flagged.update(flags)
        with_flags += bool(flags)
    return {
        "work_count": len(works),
        "with_flags": with_flags,
        "flags": [
            {"slug": slug, "title": title, "count": flagged[slug]}
            for slug, title in FLAG_CHOICES
            if flagged[slug]
        ],
    }
