"""What organisations hold about a person: their membership, and invitations.

Registered with `withpeople.core.personal_data` in `OrganisationsConfig.ready()`. Invitations
sent to the person's email address are deleted; invitations they sent stay, sent by nobody. The
membership itself goes last of all, once every other app has erased what it holds.
"""

from __future__ import annotations

from typing import Any

from withpeople.core import personal_data
from withpeople.organisations.models import Invitation


def export_membership(membership, about_someone_else: bool) -> dict[str, Any]:
    return {
        "membership": {
            "role": membership.get_role_display(),
            "perspective": membership.get_perspective_display(),
            "joined_at": membership.joined_at.isoformat(),
        }
    }


def erase_invitations(membership) -> dict[str, int]:
    Invitation.objects.for_organisation(membership.organisation).filter(
        email__iexact=membership.user.email
    ).delete()
    return {}


def unlink_account(organisation, user) -> None:
    Invitation.objects.for_organisation(organisation).filter(invited_by=user).update(
        invited_by=None
    )


def erase_membership(membership) -> dict[str, int]:
    membership.delete()
    return {}


ENTRIES = [
    personal_data.PersonalData(
        name="organisations",
        models=("organisations.Membership", "organisations.Invitation"),
        order=20,
        export_membership=export_membership,
        erase_membership=erase_invitations,
        unlink_account=unlink_account,
    ),
    personal_data.PersonalData(
        name="organisations:membership", models=(), order=1000, erase_membership=erase_membership
    ),
]
