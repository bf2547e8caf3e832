"""Who may open each page of pieces of work.

Everyone in the organisation sees every page and may record evidence and check in (equal
seats); staff and admins change plans, manage the group and rounds, import and publish.
"""

from withpeople.groups.tests.access_cases import ACTIVITY_NEEDS
from withpeople.groups.tests.access_cases import _activity as _activity_with_needs
from withpeople.testing.access import (
    ACTORS,
    API_MEMBERS,
    API_STAFF_POST,
    MEMBERS,
    SIGN_IN,
    STAFF,
    Case,
    org,
)


def _work(ctx):
    from withpeople.works.services import work_create

    if "work" not in ctx.extra:
        ctx.extra["work"] = work_create(
            organisation=ctx.organisation, title="Carers' strategy", level="strategic"
        )
    return ctx.extra["work"]


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


#: An empty POST to move an aspect says neither up nor down: a bad request, and no move.
STAFF_EMPTY_POST = {
    "anonymous": SIGN_IN,
    "outsider": 404,
    "partner": 403,
    "staff": 400,
    "admin": 400,
}
#: Assessing a record saves nothing and belongs to no organisation: anyone signed in may.
API_SIGNED_IN_POST = {"anonymous": 401, "outsider": 422, "partner": 422, "staff": 422, "admin": 422}

CASES = {
    "works:activity-access-needs": Case(ACTIVITY_NEEDS, kwargs=_activity_with_needs),
    "works:list": Case(MEMBERS, kwargs=org),
    "works:create": Case(STAFF, kwargs=org),
    "works:import": Case(STAFF, kwargs=org),
    "works:detail": Case(MEMBERS, kwargs=_w),
    "works:edit": Case(STAFF, kwargs=_w),
    "works:export": Case(MEMBERS, kwargs=_w),
    "works:publish": Case(STAFF, kwargs=_w),
    "works:unpublish": Case(STAFF, kwargs=_w),
    "works:openness": Case(dict.fromkeys(ACTORS, 200), kwargs=_published_elsewhere),
    "works:aspects": Case(MEMBERS, kwargs=_w),
    "works:aspect-add": Case(STAFF, kwargs=_w),
    "works:aspect-edit": Case(STAFF, kwargs=_aspect),
    "works:aspect-remove": Case(STAFF, kwargs=_aspect),
    "works:aspect-move": Case(STAFF_EMPTY_POST, kwargs=_aspect, method="post"),
    "works:people": Case(MEMBERS, kwargs=_w),
    "works:person-add": Case(STAFF, kwargs=_w),
    "works:evidence": Case(MEMBERS, kwargs=_w),
    "works:activity-add": Case(MEMBERS, kwargs=_w),
    "works:activity-edit": Case(MEMBERS, kwargs=_activity),
    "works:activity-delete": Case(MEMBERS, kwargs=_activity),
    "works:decision-add": Case(MEMBERS, kwargs=_w),
    "works:decision-edit": Case(MEMBERS, kwargs=_decision),
    "works:decision-delete": Case(MEMBERS, kwargs=_decision),
    "works:checkin": Case(MEMBERS, kwargs=_w),
    "works:rounds": Case(MEMBERS, kwargs=_w),
    "works:round-open": Case(STAFF, kwargs=_w),
    "works:round-close": Case(STAFF, kwargs=_open_round),
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
    "api:get_work_record": Case(API_MEMBERS, kwargs=_api_work),
    "api:get_work_assessment": Case(API_MEMBERS, kwargs=_api_work),
}
