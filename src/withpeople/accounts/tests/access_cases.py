from withpeople.testing.access import ACTORS, PUBLIC, SIGNED_IN, Case

# Signed-in people are sent on from the sign-in page to where they were going.
SIGN_IN_PAGE = dict.fromkeys(ACTORS, 302) | {"anonymous": 200}


def _own_token(ctx):
    from withpeople.accounts.services import api_token_create

    # Every signed-in actor asks for token 1 of the admin: only the admin gets it.
    if "token" not in ctx.extra:
        ctx.extra["token"], _raw = api_token_create(user=ctx.members["admin"].user, name="t")
    return {"pk": ctx.extra["token"].pk}


def _admin_has_an_app(ctx):
    """The admin has an authenticator app; nobody else has."""
    from withpeople.accounts.second_factor import code_for, new_key, second_factor_set_up

    if "app" not in ctx.extra:
        key = new_key()
        second_factor_set_up(user=ctx.members["admin"].user, key=key, code=code_for(key))
        ctx.extra["app"] = key
    return {}


def _admins_passkey(ctx):
    from withpeople.accounts.models import Passkey

    if "passkey" not in ctx.extra:
        ctx.extra["passkey"] = Passkey.objects.create(
            user=ctx.members["admin"].user, name="laptop", credential_id="AAAA", public_key=b"k"
        )
    return {"pk": ctx.extra["passkey"].pk}


# Pages that have nothing to show send people on: to sign in, or to their account.
NOTHING_TO_SHOW = dict.fromkeys(ACTORS, 302) | {"anonymous": "sign-in"}

CASES = {
    # Only someone who has just given their password has a code to give; others start again.
    "accounts:sign-in-code": Case(dict.fromkeys(ACTORS, 302)),
    "accounts:second-factor-set-up": Case(SIGNED_IN),
    "accounts:second-factor-remove": Case(
        NOTHING_TO_SHOW | {"admin": 200}, kwargs=_admin_has_an_app
    ),
    "accounts:recovery-codes-replace": Case(
        NOTHING_TO_SHOW | {"admin": 200}, kwargs=_admin_has_an_app
    ),
    # Recovery codes are shown only straight after they are made, in that session.
    "accounts:recovery-codes": Case(NOTHING_TO_SHOW),
    "accounts:recovery-codes-download": Case(NOTHING_TO_SHOW),
    # Passkeys are asked for by the page's script, by POST. Without a password just given (to
    # sign in) or an authenticator app (to add one), there is nothing to ask for.
    "accounts:sign-in-passkey-options": Case(dict.fromkeys(ACTORS, 400), method="post"),
    "accounts:sign-in-passkey": Case(dict.fromkeys(ACTORS, 400), method="post"),
    "accounts:passkey-options": Case(
        dict.fromkeys(ACTORS, 400) | {"anonymous": "sign-in"}, method="post"
    ),
    "accounts:passkey-add": Case(
        dict.fromkeys(ACTORS, 400) | {"anonymous": "sign-in"}, method="post"
    ),
    "accounts:passkey-remove": Case(
        {"anonymous": "sign-in", "outsider": 404, "partner": 404, "staff": 404, "admin": 200},
        kwargs=_admins_passkey,
    ),
    "accounts:sign-in": Case(SIGN_IN_PAGE),
    # Signing out only happens by POST; a GET is refused.
    "accounts:sign-out": Case(dict.fromkeys(ACTORS, 405)),
    "accounts:password-reset": Case(PUBLIC),
    "accounts:password-reset-sent": Case(PUBLIC),
    "accounts:password-reset-confirm": Case(
        PUBLIC, kwargs=lambda ctx: {"uidb64": "MQ", "token": "not-a-token"}
    ),
    "accounts:password-reset-complete": Case(PUBLIC),
    "accounts:password-change": Case(SIGNED_IN),
    "accounts:account": Case(SIGNED_IN),
    "accounts:token-create": Case(SIGNED_IN),
    "accounts:token-revoke": Case(
        {"anonymous": "sign-in", "outsider": 404, "partner": 404, "staff": 404, "admin": 200},
        kwargs=_own_token,
    ),
}
