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
