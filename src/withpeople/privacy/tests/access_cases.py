from withpeople.testing.access import (
    ADMINS,
    API_MEMBERS,
    MEMBERS,
    SIGN_IN,
    Case,
    org,
)


def _category(ctx):
    from withpeople.privacy.models import DiversityCategory, DiversityOption

    if "category" not in ctx.extra:
        category = DiversityCategory.objects.create(
            organisation=ctx.organisation, name="Age", question="What is your age?"
        )
        ctx.extra["category"] = category
        ctx.extra["option"] = DiversityOption.objects.create(category=category, label="Under 25")
    return ctx.extra["category"]


def _category_kwargs(ctx):
    return org(ctx) | {"pk": _category(ctx).pk}


def _option_kwargs(ctx):
    _category(ctx)
    return org(ctx) | {"pk": ctx.extra["option"].pk}


def _work_kwargs(ctx):
    from withpeople.privacy.tests.helpers import make_work

    if "work" not in ctx.extra:
        ctx.extra["work"] = make_work(ctx.organisation)
    return org(ctx) | {"pk": ctx.extra["work"].pk}


def _person_kwargs(ctx):
    return org(ctx) | {"pk": ctx.members["partner"].pk}


def _without_account_kwargs(ctx):
    """Someone in one of the organisation's groups who has no account."""
    from withpeople.groups.models import GroupMember
    from withpeople.privacy.tests.helpers import make_work

    if "without_account" not in ctx.extra:
        work = make_work(ctx.organisation, title="Carers' strategy")
        ctx.extra["without_account"] = GroupMember.objects.create(
            group=work.group, name="Sam", contact="sam@example.net", perspective="carer"
        )
    return org(ctx) | {"pk": ctx.extra["without_account"].pk}


# Members without consent are sent to the consent page first.
CONSENT_FIRST = {"anonymous": SIGN_IN, "outsider": 404, "partner": 302, "staff": 302, "admin": 302}

CASES = {
    "privacy:your-data": Case(MEMBERS, kwargs=org),
    "privacy:my-data": Case(MEMBERS, kwargs=org),
    "privacy:my-data-download": Case(MEMBERS, kwargs=org),
    "privacy:diversity-consent": Case(MEMBERS, kwargs=org),
    "privacy:diversity-answers": Case(CONSENT_FIRST, kwargs=org),
    "privacy:diversity-withdraw": Case(MEMBERS, kwargs=org),
    # Diversity figures are suppressed aggregates, not personal data: equal seats for members.
    "privacy:diversity": Case(MEMBERS, kwargs=org),
    "privacy:diversity-work": Case(MEMBERS, kwargs=_work_kwargs),
    "privacy:categories": Case(ADMINS, kwargs=org),
    "privacy:category-create": Case(ADMINS, kwargs=org),
    "privacy:category-change": Case(ADMINS, kwargs=_category_kwargs),
    "privacy:category-delete": Case(ADMINS, kwargs=_category_kwargs),
    "privacy:option-create": Case(ADMINS, kwargs=_category_kwargs),
    "privacy:option-change": Case(ADMINS, kwargs=_option_kwargs),
    "privacy:option-delete": Case(ADMINS, kwargs=_option_kwargs),
    "privacy:people": Case(ADMINS, kwargs=org),
    "privacy:person-data": Case(ADMINS, kwargs=_person_kwargs),
    "privacy:person-data-download": Case(ADMINS, kwargs=_person_kwargs),
    "privacy:person-erase": Case(ADMINS, kwargs=_person_kwargs),
    "privacy:group-member-data": Case(ADMINS, kwargs=_without_account_kwargs),
    "privacy:group-member-data-download": Case(ADMINS, kwargs=_without_account_kwargs),
    "privacy:group-member-erase": Case(ADMINS, kwargs=_without_account_kwargs),
    "privacy:audit-log": Case(ADMINS, kwargs=org),
    "privacy:retention": Case(ADMINS, kwargs=org),
    "api:diversity_figures": Case(API_MEMBERS, kwargs=lambda ctx: {"slug": ctx.organisation.slug}),
}
