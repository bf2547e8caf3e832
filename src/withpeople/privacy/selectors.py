"""Reads of everything held about a person, gathered from every app that holds some.

Each app registers what it holds in `withpeople.core.personal_data`; nothing here reads
another app's tables.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from withpeople.core import personal_data
from withpeople.groups.models import GroupMember
from withpeople.organisations.models import Membership


def personal_data_for_membership(
    membership: Membership, *, about_someone_else: bool = False
) -> dict[str, Any]:
    """Everything held about one person in one organisation, for them to read or download.

    With `about_someone_else` (an admin answering a request for the person's data), the two
    things nobody else in the organisation may read are left out: their diversity answers
    ("nobody in the organisation can see my own answers, only I can", in the words they agreed
    to) and their access needs (seen only by them and the organisers of activities they attend).
    Only whether they are held is said, so the admin can tell the person where to find them.
    """
    return {
        "organisation": membership.organisation.name,
        "generated_at": timezone.now().isoformat(),
        **personal_data.export_membership(membership, about_someone_else=about_someone_else),
    }


def personal_data_for_group_member(member: GroupMember) -> dict[str, Any]:
    """Everything held about someone who takes part in a group without an account.

    They cannot sign in to download it, so an admin does it for them. As for anyone else's
    data seen by an admin, their access needs are only said to be recorded or not: the
    organisers of the activities they attend can go through them with the person. People
    without an account never answer diversity monitoring, so there is none.
    """
    return {
        "organisation": member.group.organisation.name,
        "generated_at": timezone.now().isoformat(),
        **personal_data.export_group_member(member),
    }
