"""What groups hold about a person: their places in groups, agreements and access needs.

Registered with `withpeople.core.personal_data` in `GroupsConfig.ready()`. Erasure keeps the
place, as "Former member N", so what the group did still adds up. Who wrote an agreement
version or recorded an agreement for someone (`created_by`, `recorded_by`) becomes nobody when
the membership goes (SET_NULL).
"""

from __future__ import annotations

from typing import Any

from withpeople.core import personal_data
from withpeople.groups.models import AccessNeeds, AgreementConsent, GroupMember
from withpeople.groups.selectors import access_needs_for_download
from withpeople.groups.services import (
    access_needs_erase_for_membership,
    anonymise_group_member,
)


def _group_membership(gm: GroupMember) -> dict[str, Any]:
    return {
        "group": gm.group.name,
        "name": gm.name,
        "contact": gm.contact,
        "perspective": gm.get_perspective_display(),
        "role": gm.get_role_display(),
        "joined_on": gm.joined_on.isoformat() if gm.joined_on else None,
        "left_on": gm.left_on.isoformat() if gm.left_on else None,
    }


def _agreements(group_members) -> list[dict[str, Any]]:
    consents = (
        AgreementConsent.objects.filter(member__in=group_members)
        .select_related("version__agreement__group")
        .order_by("agreed_at", "pk")
    )
    return [
        {
            "group": consent.version.agreement.group.name,
            "version": consent.version.number,
            "agreed_at": consent.agreed_at.isoformat(),
            "recorded_by_staff": consent.on_their_behalf,
        }
        for consent in consents
    ]


def _group_members(membership) -> list[GroupMember]:
    return list(membership.group_memberships.select_related("group").order_by("joined_on", "pk"))


def export_membership(membership, about_someone_else: bool) -> dict[str, Any]:
    group_members = _group_members(membership)
    return {
        "group_memberships": [_group_membership(gm) for gm in group_members],
        "agreements": _agreements(group_members),
        "access_needs": (
            {"recorded": AccessNeeds.objects.filter(membership=membership).exists()}
            if about_someone_else
            else access_needs_for_download(membership)
        ),
    }


def export_group_member(member: GroupMember) -> dict[str, Any]:
    return {
        "group_memberships": [_group_membership(member)],
        "agreements": _agreements([member]),
        "access_needs": {"recorded": AccessNeeds.objects.filter(group_member=member).exists()},
    }


def erase_membership(membership) -> dict[str, int]:
    """Their access needs go, and each of their places becomes "Former member N"."""
    access_needs_erase_for_membership(membership)
    count = 0
    for group_member in membership.group_memberships.all():
        personal_data.erase_group_member(group_member)
        count += 1
    return {"group_memberships": count}


ENTRIES = [
    personal_data.PersonalData(
        name="groups",
        models=(
            "groups.GroupMember",
            "groups.AgreementVersion",
            "groups.AgreementConsent",
            "groups.AccessNeeds",
        ),
        order=30,
        export_membership=export_membership,
        export_group_member=export_group_member,
        erase_membership=erase_membership,
    ),
    # After every app that keeps something about a group member: the name goes last, so they
    # can still find the person.
    personal_data.PersonalData(
        name="groups:places", models=(), order=990, erase_group_member=anonymise_group_member
    ),
]
