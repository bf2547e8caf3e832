from withpeople.testing.access import (
    ADMINS,
    API_MEMBERS,
    API_STAFF_POST,
    MEMBERS,
    PUBLIC,
    SIGN_IN,
    STAFF,
    Case,
    org,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

#: An empty POST to remove a picture names no statement: a bad request, and nothing removed.
STAFF_EMPTY_POST = {
    "anonymous": SIGN_IN,
    "outsider": 404,
    "partner": 403,
    "staff": 400,
    "admin": 400,
}


def _cycle_obj(ctx):
    from withpeople.feedback.services import cycle_create, default_framework

    if "cycle" not in ctx.extra:
        ctx.extra["cycle"] = cycle_create(
            organisation=ctx.organisation,
            slug="spring",
            name="Spring",
            framework=default_framework(),
        )
    return ctx.extra["cycle"]


def _cycle(ctx):
    return org(ctx) | {"cycle_slug": _cycle_obj(ctx).slug}


def _import_job(ctx):
    from withpeople.feedback.models import ImportJob, ImportStatus

    job = ImportJob.objects.create(
        organisation=ctx.organisation, cycle=_cycle_obj(ctx), status=ImportStatus.DONE
    )
    return _cycle(ctx) | {"pk": job.pk}


def _framework(ctx):
    from withpeople.feedback.services import default_framework

    return org(ctx) | {"pk": default_framework().pk}


def _public_cycle(ctx):
    """An open cycle of another organisation: the public form is for anyone, and it names the
    organisation asking, so it is not one whose name the walk checks outsiders never see."""
    from withpeople.feedback.models import CycleStatus
    from withpeople.feedback.services import cycle_create, cycle_set_status, default_framework
    from withpeople.testing.factories import OrganisationFactory

    if "public_cycle" not in ctx.extra:
        cycle = cycle_create(
            organisation=OrganisationFactory(slug="asking", name="Asking Trust"),
            slug="open",
            name="Open",
            framework=default_framework(),
        )
        ctx.extra["public_cycle"] = cycle_set_status(cycle=cycle, status=CycleStatus.OPEN)
    return ctx.extra["public_cycle"]


def _code(ctx):
    return {"code": _public_cycle(ctx).public_code}


def _picture(ctx):
    from withpeople.feedback.models import Statement
    from withpeople.feedback.services import picture_save

    cycle = _public_cycle(ctx)
    statement = Statement.objects.filter(theme__framework=cycle.framework, kind="I").first()
    picture = picture_save(
        organisation=cycle.organisation, statement=statement, data=PNG, alt_text="A person"
    )
    return _code(ctx) | {"pk": picture.pk}


def _api_cycle(ctx):
    return {"slug": ctx.organisation.slug, "cycle": _cycle_obj(ctx).slug}


def _empty_csv(ctx):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("responses.csv", b"", content_type="text/csv")}


CASES = {
    "feedback:cycles": Case(MEMBERS, kwargs=org),
    "feedback:cycle-create": Case(STAFF, kwargs=org),
    "feedback:cycle": Case(MEMBERS, kwargs=_cycle),
    "feedback:cycle-edit": Case(STAFF, kwargs=_cycle),
    "feedback:cycle-open": Case(STAFF, kwargs=_cycle),
    "feedback:cycle-close": Case(STAFF, kwargs=_cycle),
    "feedback:cycle-poster": Case(MEMBERS, kwargs=_cycle),
    "feedback:response-enter": Case(STAFF, kwargs=_cycle),
    "feedback:import": Case(STAFF, kwargs=_cycle),
    "feedback:import-job": Case(STAFF, kwargs=_import_job),
    "feedback:answers-download": Case(ADMINS, kwargs=lambda ctx: _cycle(ctx) | {"fmt": "csv"}),
    "feedback:frameworks": Case(MEMBERS, kwargs=org),
    "feedback:framework-upload": Case(ADMINS, kwargs=org),
    "feedback:framework": Case(MEMBERS, kwargs=_framework),
    "feedback:pictures": Case(STAFF, kwargs=_framework),
    "feedback:picture-upload": Case(STAFF, kwargs=_framework, query="?statement=wi-i1"),
    "feedback:picture-remove": Case(STAFF_EMPTY_POST, kwargs=_framework, method="post"),
    "feedback:public-form": Case(PUBLIC, kwargs=_code),
    "feedback:public-form-easy-read": Case(PUBLIC, kwargs=_code),
    "feedback:public-thanks": Case(PUBLIC, kwargs=_code),
    "feedback:public-picture": Case(PUBLIC, kwargs=_picture),
    "api:submit_response": Case(
        API_STAFF_POST,
        kwargs=_api_cycle,
        method="post",
        data=lambda ctx: {"answers": {}},
        content_type="application/json",
    ),
    "api:import_responses": Case(API_STAFF_POST, kwargs=_api_cycle, method="post", data=_empty_csv),
    "api:read_results": Case(API_MEMBERS, kwargs=_api_cycle),
}
