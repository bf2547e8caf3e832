"""What meetings hold about a person: their invitations and replies, and their calendar feed.

Registered with `withpeople.core.personal_data` in `MeetingsConfig.ready()`. Erasure takes
what a reply says about the person (access needs, how they want to be recognised) and their
calendar address; whether they were invited and came stays, as the group's record, under the
name "Former member N" that the groups app gives them.
"""

from __future__ import annotations

from typing import Any

from withpeople.core import personal_data
from withpeople.meetings.models import CalendarFeed, Invitation, Meeting


def _invitations(invitations, *, with_needs: bool) -> list[dict[str, Any]]:
    return [
        {
            "meeting": invitation.meeting.title,
            "starts_at": invitation.meeting.starts_at.isoformat(),
            "reply": invitation.reply or None,
            "access_needs": invitation.access_needs
            if with_needs
            else bool(invitation.access_needs),
            "recognition": invitation.recognition or None,
            "attended": invitation.attended,
        }
        for invitation in invitations.select_related("meeting").order_by("meeting__starts_at", "pk")
    ]


def export_membership(membership, about_someone_else: bool) -> dict[str, Any]:
    invitations = Invitation.objects.filter(
        member__membership=membership, meeting__organisation=membership.organisation
    )
    return {
        "meeting_invitations": _invitations(invitations, with_needs=not about_someone_else),
        "calendar_feed": CalendarFeed.objects.filter(membership=membership).exists(),
        "meetings_planned": list(
            Meeting.objects.filter(planned_by=membership).values_list("title", flat=True)
        ),
    }


def export_group_member(member) -> dict[str, Any]:
    return {
        "meeting_invitations": _invitations(
            Invitation.objects.filter(member=member), with_needs=False
        )
    }


def erase_group_member(member) -> None:
    Invitation.objects.filter(member=member).update(access_needs="", recognition="")


def erase_membership(membership) -> dict[str, int]:
    feeds, _kinds = CalendarFeed.objects.filter(membership=membership).delete()
    planned = Meeting.objects.filter(planned_by=membership).update(planned_by=None)
    return {"calendar_feeds": feeds, "meetings_planned": planned}


ENTRIES = [
    personal_data.PersonalData(
        name="meetings",
        models=("meetings.Invitation", "meetings.CalendarFeed", "meetings.Meeting"),
        order=50,
        export_membership=export_membership,
        export_group_member=export_group_member,
        erase_membership=erase_membership,
        erase_group_member=erase_group_member,
    )
]
