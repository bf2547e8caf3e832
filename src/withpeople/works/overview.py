"""What the organisation's overview shows of pieces of work: check-ins waiting, and the flags."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from withpeople.core import fragments
from withpeople.core.domain_text import FLAG_CHOICES
from withpeople.core.overview import Waiting
from withpeople.organisations.access import can_administer
from withpeople.organisations.figures import figures_version
from withpeople.works.access import visible_works
from withpeople.works.models import CheckinRound
from withpeople.works.selectors import flag_counts, works_most_flagged


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
    """How many pieces of work there are, how many carry each flag, and the few with the most.

    Counted in the database from the stored assessments, so the overview never loads every
    piece of work. An admin sees every piece of work, so what an admin sees is the same for
    every admin and is kept per version of the organisation's data (the stored assessments
    and the pieces of work write a new token, withpeople.organisations.figures); anyone else
    may see fewer, and has them counted for them.
    """
    membership = request.membership
    works = visible_works(membership)
    version = figures_version(membership.organisation_id) if can_administer(membership) else None
    if version is None:
        counts, most_flagged = _flag_summary(works)
    else:
        counts, most_flagged = fragments.kept(
            ("works-overview", membership.organisation_id, version),
            lambda: _flag_summary(works),
        )
    return {
        "work_count": counts["work_count"],
        "with_flags": counts["with_flags"],
        "flags": [
            {"slug": slug, "title": title, "count": counts[slug]}
            for slug, title in FLAG_CHOICES
            if counts[slug]
        ],
        "most_flagged": most_flagged,
    }


def _flag_summary(works) -> tuple[dict[str, int], list]:
    counts = flag_counts(works)
    return counts, works_most_flagged(works) if counts["with_flags"] else []
