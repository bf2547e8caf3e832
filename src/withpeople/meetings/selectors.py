"""Reads about meetings that pages, the API and the command line share."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from withpeople.groups.models import Group
from withpeople.groups.selectors import needs_of
from withpeople.meetings.models import Invitation, Meeting, MeetingQuerySet, Reply
from withpeople.organisations.models import Membership, Organisation


def group_meetings(group: Group) -> MeetingQuerySet:
    return Meeting.objects.filter(group=group).order_by("-starts_at", "-pk")


def meetings_of_organisation(organisation: Organisation) -> MeetingQuerySet:
    return (
        Meeting.objects.for_organisation(organisation)
        .select_related("group", "work")
        .order_by("starts_at", "pk")
    )


def invited_meetings(membership: Membership) -> MeetingQuerySet:
    """The meetings this member is invited to, soonest first."""
    return (
        Meeting.objects.for_organisation(membership.organisation)
        .filter(invitations__member__membership=membership)
        .select_related("group", "organisation")
        .distinct()
        .order_by("starts_at", "pk")
    )


def upcoming(meetings: MeetingQuerySet) -> MeetingQuerySet:
    return meetings.filter(ends_at__gt=timezone.now())


def reply_counts(meeting: Meeting) -> dict[str, int]:
    """How many said yes, no and maybe, and how many have not replied."""
    counts = Counter(meeting.invitations.values_list("reply", flat=True))
    return {
        "yes": counts[Reply.YES],
        "no": counts[Reply.NO],
        "maybe": counts[Reply.MAYBE],
        "waiting": counts[""],
        "invited": sum(counts.values()),
    }


def invitations_for_organisers(meeting: Meeting) -> list[Invitation]:
    """Everyone invited, each with `standing_needs`: what their access and communication needs
    (groups.AccessNeeds) say, besides what they said for this meeting. For organisers only."""
    invitations = list(
        meeting.invitations.select_related(
            "member__membership__user",
            "member__access_needs",
            "member__membership__access_needs",
            "time_record",
        ).order_by("member__name", "pk")
    )
    for invitation in invitations:
        needs = needs_of(invitation.member)
        invitation.standing_needs = needs.needs() if needs else []
    return invitations
