from withpeople.testing.access import ACTORS, ADMINS, Case, org


def _member_kwargs(ctx):
    return org(ctx) | {"pk": ctx.members["partner"].pk}


CASES = {
    "security:sign-in-security": Case(ADMINS, kwargs=org),
    "security:second-factor-reset": Case(ADMINS, kwargs=_member_kwargs),
}

# Signing in with an organisation's account: for anyone not signed in; the signed-in are sent
# on. The callback without a sign-in under way says to start again.
_SIGN_IN_PAGE = dict.fromkeys(ACTORS, 302) | {"anonymous": 200}
CASES |= {
    "security:single-sign-on": Case(ADMINS, kwargs=org),
    "security:sso-sign-in": Case(_SIGN_IN_PAGE),
    "security:sso-callback": Case(dict.fromkeys(ACTORS, 400)),
}
