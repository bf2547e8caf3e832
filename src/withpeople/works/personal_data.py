"""What pieces of work hold about a person: the activities they took part in.

Registered with `withpeople.core.personal_data` in `WorksConfig.ready()`. Taking part stays
counted after erasure, under "Former member N" (the group member is anonymised by groups).
Check-in receipts, and being a lead or an organiser, go with the membership (CASCADE);
`PersonRef` points only to the group member, which stays without a name.
"""

from __future__ import annotations

from typing import Any

from withpeople.core import personal_data
from withpeople.works.models import Participation


def _activities(group_members) -> list[dict[str, Any]]:
    participations = (
        Participation.objects.filter(member__in=group_members)
        .select_related("activity", "activity__work")
        .order_by("activity__date", "pk")
    )
    return [
        {
            "piece_of_work": p.activity.work.title,
            "activity": str(p.activity),
            "kind": p.activity.get_kind_display(),
            "date": p.activity.date.isoformat(),
        }
        for p in participations
    ]


def export_membership(membership, about_someone_else: bool) -> dict[str, Any]:
    return {"activities": _activities(membership.group_memberships.all())}


def export_group_member(member) -> dict[str, Any]:
    return {"activities": _activities([member])}


ENTRIES = [
    personal_data.PersonalData(
        name="works",
        models=(
            "works.Work",
            "works.Activity",
            "works.Participation",
            "works.PersonRef",
            "works.CheckinReceipt",
        ),
        order=40,
        export_membership=export_membership,
        export_group_member=export_group_member,
    ),
]
