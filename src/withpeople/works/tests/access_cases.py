"""Who may open each page of pieces of work.

Rights follow the work's group (docs/decisions/0005-access-rule.md): everyone in the
organisation reads a piece of work; members of its group (partners and staff alike) record
evidence and check in; its leads, a partner among them, also change the plan, manage the group,
run check-in rounds and publish; admins do everything. Starting or importing a piece of work is
not about one piece of work: staff and admins do it.
"""

from withpeople.groups.tests.access_cases import ACTIVITY_NEEDS
from withpeople.groups.tests.access_cases import _activity as _activity_with_needs
from withpeople.testing.access import (
    ACTORS,
    API_IN_GROUP_WRITE,
    API_READ_WORK,
    API_STAFF_POST,
    IN_GROUP,
    LEADS,
    MEMBERS,
    READ_WORK,
    STAFF,
    Case,
    org,
    walk_work,
)


def _work(ctx):
    return walk_work(ctx, key="work", title="Carers' strategy")


def _w(ctx):
    return org(ctx) | {"pk": _work(ctx).pk}


def _aspect(ctx):
    return _w(ctx) | {"aspect_pk": _work(ctx).aspects.first().pk}


def _activity(ctx):
    from withpeople.works.services import activity_save

    work = _work(ctx)
    activity = activity_save(
        work=work, aspect=work.aspects.first(), date="2026-01-01", kind="meeting", title="M"
    )
    return _w(ctx) | {"activity_pk": activity.pk}


def _decision(ctx):
    from withpeople.works.services import decision_save

    work = _work(ctx)
    decision = decision_save(
        work=work,
        aspect=work.aspects.first(),
        date="2026-01-01",
        summary="S",
        decided_by="jointly",
    )
    return _w(ctx) | {"decision_pk": decision.pk}


def _open_round(ctx):
    from withpeople.works.services import checkin_round_open

    checkin_round = checkin_round_open(work=_work(ctx), name="Spring")
    return _w(ctx) | {"round_pk": checkin_round.pk}


def _published_elsewhere(ctx):
    """A published statement of another organisation: public, so 200 for everyone."""
    from withpeople.testing.factories import OrganisationFactory
    from withpeople.works.services import work_create, work_publish

    other = OrganisationFactory(slug="open-trust", name="Open Trust")
    work = work_create(organisation=other, title="Open plan", level="strategic")
    work_publish(work=work)
    return {"org_slug": other.slug, "pk": work.pk}


def _api_org(ctx):
    return {"slug": ctx.organisation.slug}


def _api_work(ctx):
    return {"slug": ctx.organisation.slug, "work_id": _work(ctx).pk}


def _api_activity(ctx):
    return _api_work(ctx) | {"activity_id": _activity(ctx)["activity_pk"]}


def _api_decision(ctx):
    return _api_work(ctx) | {"decision_id": _decision(ctx)["decision_pk"]}


def _empty_reason(ctx):
    return {"reason": ""}


#: An empty POST to move an aspect says neither up nor down: a bad request, and no move.
LEADS_EMPTY_POST = LEADS | {"lead": 400, "partner_lead": 400, "admin": 400}
#: Assessing a record saves nothing and belongs to no organisation: anyone signed in may.
API_SIGNED_IN_POST = dict.fromkeys(ACTORS, 422) | {"anonymous": 401}

CASES = {
    "works:activity-access-needs": Case(ACTIVITY_NEEDS, kwargs=_activity_with_needs),
    "works:list": Case(MEMBERS, kwargs=org),
    "works:create": Case(STAFF, kwargs=org),
    "works:import": Case(STAFF, kwargs=org),
    "works:detail": Case(READ_WORK, kwargs=_w, about_work=True),
    "works:edit": Case(LEADS, kwargs=_w, about_work=True),
    "works:export": Case(READ_WORK, kwargs=_w, about_work=True),
    "works:publish": Case(LEADS, kwargs=_w, about_work=True),
    "works:unpublish": Case(LEADS, kwargs=_w, about_work=True),
    "works:openness": Case(dict.fromkeys(ACTORS, 200), kwargs=_published_elsewhere),
    "works:aspects": Case(READ_WORK, kwargs=_w, about_work=True),
    "works:aspect-add": Case(LEADS, kwargs=_w, about_work=True),
    "works:aspect-edit": Case(LEADS, kwargs=_aspect, about_work=True),
    "works:aspect-remove": Case(LEADS, kwargs=_aspect, about_work=True),
    "works:aspect-move": Case(LEADS_EMPTY_POST, kwargs=_aspect, method="post", about_work=True),
    "works:people": Case(READ_WORK, kwargs=_w, about_work=True),
    "works:person-add": Case(LEADS, kwargs=_w, about_work=True),
    "works:evidence": Case(READ_WORK, kwargs=_w, about_work=True),
    "works:activity-add": Case(IN_GROUP, kwargs=_w, about_work=True),
    "works:activity-edit": Case(IN_GROUP, kwargs=_activity, about_work=True),
    "works:activity-withdraw": Case(IN_GROUP, kwargs=_activity, about_work=True),
    "works:decision-add": Case(IN_GROUP, kwargs=_w, about_work=True),
    "works:decision-edit": Case(IN_GROUP, kwargs=_decision, about_work=True),
    "works:decision-withdraw": Case(IN_GROUP, kwargs=_decision, about_work=True),
    "works:decision-tell": Case(LEADS, kwargs=_decision, about_work=True),
    # Anyone who reads the work opens the check-in page; only the group gets the form.
    "works:checkin": Case(READ_WORK, kwargs=_w, about_work=True),
    "works:rounds": Case(READ_WORK, kwargs=_w, about_work=True),
    "works:round-open": Case(LEADS, kwargs=_w, about_work=True),
    "works:round-close": Case(LEADS, kwargs=_open_round, about_work=True),
    "works:history": Case(READ_WORK, kwargs=_w, about_work=True),
    "api:assess_record": Case(
        API_SIGNED_IN_POST, method="post", data=lambda ctx: {}, content_type="application/json"
    ),
    "api:import_work": Case(
        API_STAFF_POST,
        kwargs=_api_org,
        method="post",
        data=lambda ctx: {},
        content_type="application/json",
    ),
    "api:get_work_record": Case(API_READ_WORK, kwargs=_api_work, about_work=True),
    "api:get_work_assessment": Case(API_READ_WORK, kwargs=_api_work, about_work=True),
    "api:get_work_history": Case(API_READ_WORK, kwargs=_api_work, about_work=True),
    # Changing (PATCH) and withdrawing (DELETE) evidence, with an empty reason.
    "api:change_activity": Case(
        API_IN_GROUP_WRITE,
        kwargs=_api_activity,
        method="patch",
        data=_empty_reason,
        content_type="application/json",
        about_work=True,
    ),
    "api:withdraw_activity": Case(
        API_IN_GROUP_WRITE,
        kwargs=_api_activity,
        method="delete",
        data=_empty_reason,
        content_type="application/json",
        about_work=True,
    ),
    "api:change_decision": Case(
        API_IN_GROUP_WRITE,
        kwargs=_api_decision,
        method="patch",
        data=_empty_reason,
        content_type="application/json",
        about_work=True,
    ),
    "api:withdraw_decision": Case(
        API_IN_GROUP_WRITE,
        kwargs=_api_decision,
        method="delete",
        data=_empty_reason,
        content_type="application/json",
        about_work=True,
    ),
}
