"""Reads about groups: access needs at an activity and working agreements.

Each read runs a fixed number of queries, whatever the number of groups, members and
activities, so pages stay fast as an organisation's history grows.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from withpeople.groups.models import (
    NEED_FIELDS,
    AccessNeeds,
    AgreementVersion,
    Group,
    GroupMember,
)
from withpeople.organisations.models import Membership, Organisation

# --- Access needs --------------------------------------------------------------------------------


def needs_of(member: GroupMember) -> AccessNeeds | None:
    """A group member's needs: kept with their account if they have one, else with them."""
    owner = member.membership if member.membership_id else member
    try:
        return owner.access_needs
    except AccessNeeds.DoesNotExist:
        return None


def activity_needs(activity) -> list[tuple[GroupMember, AccessNeeds | None]]:
    """The people taking part in an activity, each with their needs, in one query."""
    participants = activity.participants.select_related(
        "access_needs", "membership__access_needs", "membership__user"
    ).order_by("name", "pk")
    return [(member, needs_of(member)) for member in participants]


def can_see_activity_needs(membership: Membership, activity) -> bool:
    """Organisers of an activity see everyone's needs there; nobody else sees anyone's.

    Admins are no exception: knowing someone's needs is for arranging the activity, so only the
    people arranging it see them.
    """
    return activity.organisers.filter(pk=membership.pk).exists()


def can_read_member_needs(membership: Membership, member: GroupMember) -> bool:
    """May this member of the organisation read what a group member needs?

    The person themselves, and the organisers of an activity the person takes part in: they
    arrange it, so they need to know. Nobody else, whatever their role (admins included).
    """
    if member.membership_id is not None and member.membership_id == membership.pk:
        return True
    return member.activities.filter(organisers=membership).exists()


def access_needs_for_download(membership: Membership) -> dict[str, Any] | None:
    """A person's own access needs, for the download of everything held about them."""
    try:
        needs = membership.access_needs
    except AccessNeeds.DoesNotExist:
        return None
    data: dict[str, Any] = {field: getattr(needs, field) for field, _label in NEED_FIELDS}
    data["interpreter_language"] = needs.interpreter_language
    data["meeting_times_detail"] = needs.meeting_times_detail
    data["other_detail"] = needs.other_detail
    data["updated_at"] = needs.updated_at.isoformat()
    return data


# --- Working agreements --------------------------------------------------------------------------


def published_agreement_version(group: Group) -> AgreementVersion | None:
    """The latest version of a published agreement, for the public page; None otherwise."""
    return (
        AgreementVersion.objects.filter(
            agreement__group=group, agreement__published_at__isnull=False
        )
        .order_by("-number")
        .first()
    )


# --- People who take part without an account -----------------------------------------------


def people_without_an_account(organisation: Organisation):
    """Group members who take part without an account, not yet replaced by "Former member"."""
    members = (
        GroupMember.objects.for_organisation(organisation)
        .filter(membership__isnull=True)
        .select_related("group")
        .order_by("name", "group__name", "pk")
    )
    return [m for m in members if not is_anonymised(m)]


def is_anonymised(member: GroupMember) -> bool:
    """True once a group member's name and contact details have been replaced."""
    return (
        member.membership_id is None
        and not member.contact
        and (member.name == former_member_name(member.pk))
    )


def former_member_name(pk: int) -> str:
    return _("Former member %(number)s") % {"number": pk}
