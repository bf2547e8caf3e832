from withpeople.testing.access import ACTORS, PUBLIC, SIGNED_IN, Case

# Signed-in people are sent on from the sign-in page to where they were going.
SIGN_IN_PAGE = dict.fromkeys(ACTORS, 302) | {"anonymous": 200}


def _own_token(ctx):
    from withpeople.accounts.services import api_token_create

    # Every signed-in actor asks for token 1 of the admin: only the admin gets it.
    if "token" not in ctx.extra:
        ctx.extra["token"], _raw = api_token_create(user=ctx.members["admin"].user, name="t")
    return {"pk": ctx.extra["token"].pk}


CASES = {
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
