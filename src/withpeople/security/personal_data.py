"""What sign-in security holds about a person: who they are at their organisation's provider.

Registered with `withpeople.core.personal_data` in `SecurityConfig.ready()`. The link goes when
the person leaves the organisation, and with their account (CASCADE). A download says which
provider and since when, never the subject itself.
"""

from __future__ import annotations

from typing import Any

from withpeople.core import personal_data


def _identities(membership):
    from withpeople.security.models import SignOnIdentity

    return SignOnIdentity.objects.filter(
        user=membership.user, single_sign_on__organisation=membership.organisation
    ).select_related("single_sign_on")


def export_membership(membership, about_someone_else: bool) -> dict[str, Any]:
    return {
        "single_sign_on": [
            {"provider": i.single_sign_on.issuer, "first_signed_in": i.first_signed_in_at}
            for i in _identities(membership)
        ]
    }


def erase_membership(membership) -> dict[str, int]:
    deleted, _kinds = _identities(membership).delete()
    return {"identities at the organisation's provider": deleted}


ENTRIES = [
    personal_data.PersonalData(
        name="single sign-on",
        models=("security.SignOnIdentity",),
        order=11,
        export_membership=export_membership,
        erase_membership=erase_membership,
    ),
]
