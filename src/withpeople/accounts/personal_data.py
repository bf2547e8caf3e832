"""What accounts hold about a person: their name and email address, and their API tokens.

Registered with `withpeople.core.personal_data` in `AccountsConfig.ready()`. The account goes
only when its person belongs to no organisation any more, with its tokens (CASCADE) and the
records of its sign-ins.
"""

from __future__ import annotations

from typing import Any

from withpeople.core import personal_data


def export_membership(membership, about_someone_else: bool) -> dict[str, Any]:
    user = membership.user
    return {"account": {"name": user.name, "email": user.email}}


def erase_account(user) -> None:
    if not user.memberships.exists():
        _forget_sign_ins(user.email)
        user.delete()


def _forget_sign_ins(email: str) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=email).delete()


ENTRIES = [
    personal_data.PersonalData(
        name="accounts",
        models=("accounts.ApiToken",),
        order=10,
        export_membership=export_membership,
        erase_account=erase_account,
    ),
]
