from withpeople.testing.access import API_MEMBERS, MEMBERS, PUBLIC, STAFF, Case, org


def _cycle(ctx):
    from withpeople.improvement.tests.helpers import make_cycle

    if "cycle" not in ctx.extra:
        ctx.extra["cycle"] = make_cycle(ctx.organisation, "spring-2026")
    return ctx.extra["cycle"]


def _cycle_kwargs(ctx):
    return org(ctx) | {"cycle_slug": _cycle(ctx).slug}


def _export(ctx):
    return _cycle_kwargs(ctx) | {"what": "results", "fmt": "xlsx"}


def _we_statement(ctx):
    return _cycle_kwargs(ctx) | {"statement_key": "wi-we1"}


def _action(ctx):
    from withpeople.improvement.models import Action

    if "action" not in ctx.extra:
        ctx.extra["action"] = Action.objects.create(cycle=_cycle(ctx), title="Do better")
    return _cycle_kwargs(ctx) | {"pk": ctx.extra["action"].pk}


def _story(ctx):
    from withpeople.improvement.tests.helpers import add_responses

    [response] = add_responses(
        _cycle(ctx), {"wi-i1": "always"}, story=("wellbeing-and-independence", "Kind staff.")
    )
    return _cycle_kwargs(ctx) | {"pk": response.stories.get().pk}


# Choosing a story is a POST (a button on the results page): a GET is 405 for those allowed.
# Staff and admins choose, as they publish: see improvement.views.story_choose.
STAFF_POST_ONLY = STAFF | {"staff": 405, "admin": 405}


def _published_elsewhere(ctx):
    """A published cycle of an organisation nobody in the test belongs to.

    The public page shows its organisation's name, which the access walk rightly forbids on any
    page an outsider opens in `ctx.organisation`; a page that is public for everybody is checked
    here with an organisation of its own.
    """
    from withpeople.improvement.models import Publication
    from withpeople.improvement.tests.helpers import make_cycle
    from withpeople.testing.factories import OrganisationFactory

    if "published" not in ctx.extra:
        organisation = OrganisationFactory(slug="open-council", name="Open Council")
        cycle = make_cycle(organisation, "autumn-2025")
        Publication.objects.create(cycle=cycle)
        ctx.extra["published"] = cycle
    cycle = ctx.extra["published"]
    return {"org_slug": cycle.organisation.slug, "cycle_slug": cycle.slug}


def _api(ctx):
    return {"slug": ctx.organisation.slug, "cycle": _cycle(ctx).slug}


CASES = {
    "improvement:results": Case(MEMBERS, kwargs=_cycle_kwargs),
    "improvement:report": Case(MEMBERS, kwargs=_cycle_kwargs),
    "improvement:export": Case(MEMBERS, kwargs=_export),
    "improvement:story-choose": Case(STAFF_POST_ONLY, kwargs=_story),
    "improvement:self-assessment": Case(MEMBERS, kwargs=_cycle_kwargs),
    # Partners rate the We statements alongside staff: it is co-produced.
    "improvement:rate": Case(MEMBERS, kwargs=_we_statement),
    "improvement:actions": Case(MEMBERS, kwargs=_cycle_kwargs),
    "improvement:action-detail": Case(MEMBERS, kwargs=_action),
    "improvement:action-create": Case(STAFF, kwargs=_cycle_kwargs),
    "improvement:action-edit": Case(STAFF, kwargs=_action),
    "improvement:action-delete": Case(STAFF, kwargs=_action),
    "improvement:you-said-we-did": Case(PUBLIC, kwargs=_published_elsewhere),
    "improvement:you-said-we-did-easy-read": Case(PUBLIC, kwargs=_published_elsewhere),
    "improvement:you-said-we-did-preview": Case(MEMBERS, kwargs=_cycle_kwargs),
    "improvement:publish": Case(STAFF, kwargs=_cycle_kwargs),
    "improvement:unpublish": Case(STAFF, kwargs=_cycle_kwargs),
    "api:list_cycle_actions": Case(API_MEMBERS, kwargs=_api),
}
