from withpeople.testing.access import (
    ADMINS,
    MEMBERS,
    Case,
    org,
)


def _person_kwargs(ctx):
    return org(ctx) | {"pk": ctx.members["partner"].pk}


def _without_account_kwargs(ctx):
    """Someone in one of the organisation's groups who has no account."""
    from withpeople.diversity.tests.helpers import make_work
    from withpeople.groups.models import GroupMember

    if "without_account" not in ctx.extra:
        work = make_work(ctx.organisation, title="Carers' strategy")
        ctx.extra["without_account"] = GroupMember.objects.create(
            group=work.group, name="Sam", contact="sam@example.net", perspective="carer"
        )
    return org(ctx) | {"pk": ctx.extra["without_account"].pk}


CASES = {
    "privacy:your-data": Case(MEMBERS, kwargs=org),
    "privacy:my-data": Case(MEMBERS, kwargs=org),
    "privacy:my-data-download": Case(MEMBERS, kwargs=org),
    "privacy:people": Case(ADMINS, kwargs=org),
    "privacy:person-data": Case(ADMINS, kwargs=_person_kwargs),
    "privacy:person-data-download": Case(ADMINS, kwargs=_person_kwargs),
    "privacy:person-erase": Case(ADMINS, kwargs=_person_kwargs),
    "privacy:group-member-data": Case(ADMINS, kwargs=_without_account_kwargs),
    "privacy:group-member-data-download": Case(ADMINS, kwargs=_without_account_kwargs),
    "privacy:group-member-erase": Case(ADMINS, kwargs=_without_account_kwargs),
    "privacy:audit-log": Case(ADMINS, kwargs=org),
    "privacy:retention": Case(ADMINS, kwargs=org),
}
