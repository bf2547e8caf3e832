"""What accounts hold about a person: their name and email address, their API tokens, and their
second factor (an authenticator app's key, recovery codes, passkeys' public keys).

Registered with `withpeople.core.personal_data` in `AccountsConfig.ready()`. The account goes
only when its person belongs to no organisation any more, with its tokens and second factor
(CASCADE) and the records of its sign-ins. A download says when a second factor was set up and
names the passkeys, never a key or a code.
"""

from __future__ import annotations

from typing import Any

from withpeople.accounts import second_factor
from withpeople.core import personal_data


def export_membership(membership, about_someone_else: bool) -> dict[str, Any]:
    user = membership.user
    account: dict[str, Any] = {"name": user.name, "email": user.email}
    app = second_factor.authenticator_app(user)
    if app is not None:
        account["second_factor"] = {
            "authenticator_app_set_up": app.created_at,
            "passkeys": [{"name": p.name, "added": p.created_at} for p in user.passkeys.all()],
        }
    return {"account": account}


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
        models=(
            "accounts.ApiToken",
            "accounts.Passkey",
            "otp_totp.TOTPDevice",
            "otp_static.StaticDevice",
        ),
        order=10,
        export_membership=export_membership,
        erase_account=erase_account,
    ),
]
