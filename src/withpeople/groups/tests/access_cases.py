import datetime as dt

from withpeople.testing.access import API_MEMBERS, MEMBERS, PUBLIC, SIGN_IN, STAFF, Case, org

AGREEMENT = {
    "meaning": "We are equals.",
    "aims": "A better service.",
    "ways_of_working": "We meet monthly.",
    "decisions_shared": "Priorities.",
    "decisions_not_shared": "Contract awards, by law.",
    "resources_shared": "The budget.",
    "who_does_what": "Everyone.",
    "support": "Payment for time.",
    "review_on": dt.date(2026, 1, 1),
}


def make_group(ctx):
    """A standing group with a published agreement in two versions and a member without account."""
    from withpeople.groups import services

    if "group" not in ctx.extra:
        group = services.group_create(organisation=ctx.organisation, name="Board")
        ctx.extra["group"] = group
        ctx.extra["member"] = services.group_member_add(
            group=group,
            name="Jo",
            contact="jo@example.net",
            perspective="lived_experience",
            role="member",
            joined_on=dt.date(2025, 1, 1),
        )
        services.agreement_version_create(group=group, author=None, **AGREEMENT)
        services.agreement_version_create(
            group=group, author=None, **(AGREEMENT | {"aims": "An even better service."})
        )
        services.agreement_publish(agreement=group.agreement, published=True)
    return ctx.extra["group"]


def make_activity(ctx):
    """An activity organised by staff, with the partner taking part."""
    from withpeople.groups.models import Group, GroupMember
    from withpeople.works.models import Activity, Aspect, Participation, Work

    if "activity" not in ctx.extra:
        group = Group.objects.create(organisation=ctx.organisation, name="Strategy")
        work = Work.objects.create(
            organisation=ctx.organisation, group=group, title="Strategy", level="strategic"
        )
        aspect = Aspect.objects.create(work=work, key="designing", name="Designing")
        activity = Activity.objects.create(
            work=work, aspect=aspect, date=dt.date(2025, 5, 1), kind="workshop"
        )
        partner = GroupMember.objects.create(
            group=group,
            membership=ctx.members["partner"],
            name="Pat",
            perspective="lived_experience",
        )
        Participation.objects.create(activity=activity, member=partner)
        activity.organisers.add(ctx.members["staff"])
        ctx.extra["work"] = work
        ctx.extra["activity"] = activity
    return ctx.extra["activity"]


def _api_org(ctx):
    return {"slug": ctx.organisation.slug}


def _group(ctx):
    return org(ctx) | {"pk": make_group(ctx).pk}


def _member(ctx):
    return _group(ctx) | {"member_pk": ctx.extra["member"].pk}


def _version(ctx):
    return _group(ctx) | {"number": 2}


def _version_for_member(ctx):
    """The latest version, for Jo, who takes part without an account."""
    return _version(ctx) | {"member_pk": ctx.extra["member"].pk}


def _activity(ctx):
    return org(ctx) | {"activity_id": make_activity(ctx).pk}


def _work(ctx):
    make_activity(ctx)
    return org(ctx) | {"work_id": ctx.extra["work"].pk}


#: A page only the people changing the agreement open: staff, and partners in the group.
NOT_IN_GROUP = {"anonymous": SIGN_IN, "outsider": 404, "partner": 403, "staff": 200, "admin": 200}
#: Only people in the group may agree to its working agreement, and none of these is.
NOT_IN_GROUP_POST = {
    "anonymous": SIGN_IN,
    "outsider": 404,
    "partner": 403,
    "staff": 403,
    "admin": 403,
}
#: Organisers (the walk's `lead`) see everyone's needs; the partner taking part (`member`) sees
#: their own; the admin, the other member of staff and the other partner, who neither organise
#: nor take part, see nothing.
ACTIVITY_NEEDS = {
    "anonymous": SIGN_IN,
    "outsider": 404,
    "member": 200,
    "lead": 200,
    "nonmember": 403,
    "partner_lead": 403,
    "admin": 403,
}

CASES = {
    "groups:list": Case(MEMBERS, kwargs=org),
    "groups:create": Case(STAFF, kwargs=org),
    "groups:detail": Case(MEMBERS, kwargs=_group),
    "groups:change": Case(STAFF, kwargs=_group),
    "groups:member-add": Case(STAFF, kwargs=_group),
    "groups:member-change": Case(STAFF, kwargs=_member),
    "groups:member-end": Case(STAFF, kwargs=_member),
    # Staff record needs for someone without an account; only organisers of an activity the
    # person attends see what is already recorded (tested in the app).
    "groups:member-access-needs": Case(STAFF, kwargs=_member),
    "groups:agreement": Case(MEMBERS, kwargs=_group),
    "groups:agreement-edit": Case(NOT_IN_GROUP, kwargs=_group),
    "groups:agreement-publish": Case(STAFF, kwargs=_group),
    "groups:agreement-version": Case(MEMBERS, kwargs=_version),
    "groups:agreement-changes": Case(MEMBERS, kwargs=_version),
    "groups:agreement-agree": Case(NOT_IN_GROUP_POST, kwargs=_version, method="post"),
    "groups:agreement-agree-for": Case(STAFF, kwargs=_version_for_member),
    "groups:agreement-public": Case(PUBLIC, kwargs=_group),
    "groups:my-access-needs": Case(MEMBERS, kwargs=org),
}

CASES |= {
    "api:list_groups": Case(API_MEMBERS, kwargs=_api_org),
    "api:organisation_values": Case(API_MEMBERS, kwargs=_api_org),
}
