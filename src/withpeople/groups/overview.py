"""What the organisation's overview shows of groups: working agreements waiting to be agreed."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from withpeople.core.overview import Waiting
from withpeople.groups.models import AgreementConsent, AgreementVersion, GroupMember


def agreements_waiting(request: HttpRequest) -> list[Waiting]:
    """The latest working agreement of each group this person is in, if they have not agreed."""
    latest = AgreementVersion.objects.filter(agreement__group=OuterRef("group")).order_by("-number")
    places = (
        GroupMember.objects.for_organisation(request.organisation)
        .current()
        .filter(membership=request.membership)
        .annotate(
            version_id=Subquery(latest.values("pk")[:1]),
            version_number=Subquery(latest.values("number")[:1]),
        )
        .filter(version_id__isnull=False)
        .annotate(
            agreed=Exists(
                AgreementConsent.objects.filter(
                    member=OuterRef("pk"), version=OuterRef("version_id")
                )
            )
        )
        .filter(agreed=False)
        .select_related("group")
        .order_by("group__name")
    )
    return [
        Waiting(
            text=_("Read version %(number)s of the working agreement and say if you agree")
            % {"number": place.version_number},
            url=reverse(
                "groups:agreement",
                kwargs={"org_slug": request.organisation.slug, "pk": place.group_id},
            ),
            detail=_("Group: %(group)s") % {"group": place.group.name},
        )
        for place in places
    ]
