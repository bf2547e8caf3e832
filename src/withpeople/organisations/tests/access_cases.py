from withpeople.testing.access import ADMINS, MEMBERS, PUBLIC, SIGN_IN, Case, org


def _member(ctx):
    return org(ctx) | {"pk": ctx.members["partner"].pk}


def _invitation(ctx):
    from withpeople.organisations.services import invitation_create

    if "invitation" not in ctx.extra:
        ctx.extra["invitation"], ctx.extra["invitation_token"] = invitation_create(
            organisation=ctx.organisation,
            email="invited@example.org",
            role="staff",
            perspective="frontline_staff",
            invited_by=ctx.members["admin"].user,
            accept_url_for=lambda raw: raw,
        )
    return org(ctx) | {"pk": ctx.extra["invitation"].pk}


def _invitation_token(ctx):
    _invitation(ctx)
    return {"token": ctx.extra["invitation_token"]}


CASES = {
    # Someone who belongs to exactly one organisation is taken straight to it.
    "organisations:list": Case(
        {"anonymous": SIGN_IN, "outsider": 302, "partner": 302, "staff": 302, "admin": 302}
    ),
    # The invitation page is for whoever holds the link; signed-in people with another email
    # address are told so, and nothing else about the organisation is shown.
    "organisations:invitation-accept": Case(PUBLIC, kwargs=_invitation_token),
    "organisations:dashboard": Case(MEMBERS, kwargs=org),
    "organisations:members": Case(MEMBERS, kwargs=org),
    "organisations:member-invite": Case(ADMINS, kwargs=org),
    "organisations:member-change": Case(ADMINS, kwargs=_member),
    "organisations:member-remove": Case(ADMINS, kwargs=_member),
    "organisations:invitation-cancel": Case(ADMINS, kwargs=_invitation),
}
