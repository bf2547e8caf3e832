"""What the organisation's overview shows of groups: working agreements waiting to be agreed."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from withpeople.core.overview import Waiting
from withpeople.groups.models import GroupMember
from withpeople.groups.services import latest_version


def agreements_waiting(request: HttpRequest) -> list[Waiting]:
    """The latest working agreement of each group this person is in, if they have not agreed."""
    places = (
        GroupMember.objects.for_organisation(request.organisation)
        .current()
        .filter(membership=request.membership)
        .select_related("group")
        .order_by("group__name")
    )
    waiting = []
    for place in places:
        version = latest_version(place.group)
        if version is None or version.consents.filter(member=place).exists():
            continue
        waiting.append(
            Waiting(
                text=_("Read version %(number)s of the working agreement and say if you agree")
                % {"number": version.number},
                url=reverse(
                    "groups:agreement",
                    kwargs={"org_slug": request.organisation.slug, "pk": place.group_id},
                ),
                due_on=None,
                detail=_("Group: %(group)s") % {"group": place.group.name},
            )
        )
    return waiting
