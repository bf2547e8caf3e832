"""What pieces of work hold about a person: the activities they took part in.

Registered with `withpeople.core.personal_data` in `WorksConfig.ready()`. Taking part stays
counted after erasure, under "Former member N" (the group member is anonymised by groups).
Check-in receipts, and being a lead or an organiser, go with the membership (CASCADE);
`PersonRef` points only to the group member, which stays without a name.

The history keeps every version of the work, its aspects and its evidence, with who made each
change. On erasure, who made them goes from every version of this organisation's history (the
account and the membership), and each of those versions says "personal data erased", so the
history still shows that something was changed, when and why, but no longer by whom. Who
recorded, withdrew or published something on the records themselves goes with the membership
(SET_NULL).
"""

from __future__ import annotations

from typing import Any

from withpeople.core import personal_data
from withpeople.works.models import Activity, Aspect, Decision, Participation, Work


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


def erase_membership(membership) -> dict[str, int]:
    """Who made each change goes from this organisation's history; a trace says it went."""
    organisation = membership.organisation
    count = 0
    for model, in_organisation, people_fields in (
        (Work, {"organisation_id": organisation.pk}, ("openness_published_by",)),
        (Aspect, {"work__organisation": organisation}, ("recorded_by",)),
        (Activity, {"work__organisation": organisation}, ("recorded_by", "withdrawn_by")),
        (Decision, {"work__organisation": organisation}, ("recorded_by", "withdrawn_by")),
    ):
        history = model.history.all()  # type: ignore[attr-defined]
        if "work__organisation" in in_organisation:
            # History rows keep the work's id, not a link the database follows.
            history = history.filter(
                work_id__in=Work.objects.filter(organisation=organisation).values("pk")
            )
        else:
            history = history.filter(**in_organisation)
        count += history.filter(history_user_id=membership.user_id).update(
            history_user=None, personal_data_erased=True
        )
        for name in people_fields:
            history.filter(**{f"{name}_id": membership.pk}).update(
                **{name: None, "personal_data_erased": True}
            )
    return {"history_entries": count}


ENTRIES = [
    personal_data.PersonalData(
        name="works",
        models=(
            "works.Work",
            "works.Aspect",
            "works.Activity",
            "works.Decision",
            "works.Participation",
            "works.PersonRef",
            "works.CheckinReceipt",
            "works.HistoricalWork",
            "works.HistoricalAspect",
            "works.HistoricalActivity",
            "works.HistoricalDecision",
        ),
        order=40,
        export_membership=export_membership,
        export_group_member=export_group_member,
        erase_membership=erase_membership,
    ),
]
