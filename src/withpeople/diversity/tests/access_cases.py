from withpeople.testing.access import (
    ADMINS,
    API_MEMBERS,
    MEMBERS,
    SIGN_IN,
    Case,
    org,
)


def _category(ctx):
    from withpeople.diversity.models import DiversityCategory, DiversityOption

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
    from withpeople.diversity.tests.helpers import make_work

    if "work" not in ctx.extra:
        ctx.extra["work"] = make_work(ctx.organisation)
    return org(ctx) | {"pk": ctx.extra["work"].pk}


# Members without consent are sent to the consent page first.
CONSENT_FIRST = {"anonymous": SIGN_IN, "outsider": 404, "partner": 302, "staff": 302, "admin": 302}

CASES = {
    "diversity:diversity-consent": Case(MEMBERS, kwargs=org),
    "diversity:diversity-answers": Case(CONSENT_FIRST, kwargs=org),
    "diversity:diversity-withdraw": Case(MEMBERS, kwargs=org),
    # Diversity figures are suppressed aggregates, not personal data: equal seats for members.
    "diversity:diversity": Case(MEMBERS, kwargs=org),
    "diversity:diversity-work": Case(MEMBERS, kwargs=_work_kwargs),
    "diversity:categories": Case(ADMINS, kwargs=org),
    "diversity:category-create": Case(ADMINS, kwargs=org),
    "diversity:category-change": Case(ADMINS, kwargs=_category_kwargs),
    "diversity:category-delete": Case(ADMINS, kwargs=_category_kwargs),
    "diversity:option-create": Case(ADMINS, kwargs=_category_kwargs),
    "diversity:option-change": Case(ADMINS, kwargs=_option_kwargs),
    "diversity:option-delete": Case(ADMINS, kwargs=_option_kwargs),
    "api:diversity_figures": Case(API_MEMBERS, kwargs=lambda ctx: {"slug": ctx.organisation.slug}),
}
