from withpeople.testing.access import ADMINS, Case, org


def _member_kwargs(ctx):
    return org(ctx) | {"pk": ctx.members["partner"].pk}


CASES = {
    "security:sign-in-security": Case(ADMINS, kwargs=org),
    "security:second-factor-reset": Case(ADMINS, kwargs=_member_kwargs),
}
