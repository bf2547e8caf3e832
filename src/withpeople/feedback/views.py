"""Making It Real pages: review cycles, frameworks, entering and importing responses, pictures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from withpeople.core.forms import apply_validation_error
from withpeople.core.once import once
from withpeople.core.tables import (
    BACKGROUND_FORMATS,
    FORMATS,
    download_links,
    made_in_background,
    table_response,
)
from withpeople.domain.mir.framework import FrameworkInvalid
from withpeople.feedback import exports, services
from withpeople.feedback.forms import (
    CycleForm,
    EnteredResponseForm,
    FrameworkUploadForm,
    ImportForm,
    PictureForm,
)
from withpeople.feedback.models import (
    Channel,
    CycleStatus,
    Framework,
    ImportJob,
    ReviewCycle,
    Statement,
    StatementKind,
    StatementPicture,
    Theme,
)
from withpeople.organisations.access import (
    ADMINS,
    STAFF_AND_ADMINS,
    can_administer,
    can_organise,
    organisation_view,
)

#: The improvement app's pages for a cycle, linked from the cycle page.
IMPROVEMENT_PAGES = [
    ("improvement:results", gettext_lazy("Results")),
    ("improvement:self-assessment", gettext_lazy("Self-assessment on the We statements")),
    ("improvement:actions", gettext_lazy("Action plan")),
    # The preview works for members before publication; the public page is 404 until then.
    ("improvement:you-said-we-did-preview", gettext_lazy("You said, we did")),
]


def _cycle(request: HttpRequest, cycle_slug: str) -> ReviewCycle:
    return get_object_or_404(
        ReviewCycle.objects.for_organisation(request.organisation).select_related("framework"),
        slug=cycle_slug,
    )


def _themes_and_i_statements(framework_id: int) -> tuple[list[Theme], list[Statement]]:
    themes = list(Theme.objects.filter(framework_id=framework_id).order_by("position", "id"))
    statements = list(
        Statement.objects.filter(theme__framework_id=framework_id, kind=StatementKind.I)
        .select_related("theme")
        .order_by("theme__position", "position", "id")
    )
    return themes, statements


def _improvement_links(organisation_slug: str, cycle_slug: str) -> list[tuple[str, str]]:
    """Links to the improvement app's pages for this cycle."""
    kwargs = {"org_slug": organisation_slug, "cycle_slug": cycle_slug}
    return [(label, reverse(url_name, kwargs=kwargs)) for url_name, label in IMPROVEMENT_PAGES]


# --- review cycles -------------------------------------------------------------------------


@organisation_view()
@require_http_methods(["GET"])
def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = ReviewCycle.objects.for_organisation(request.organisation).select_related("framework")
    return render(request, "feedback/cycle_list.html", {"cycles": cycles})


@organisation_view(roles=STAFF_AND_ADMINS)
@once
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = CycleForm(
        request.POST or None,
        organisation=organisation,
        initial={"framework": Framework.objects.available_to(organisation).first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s has been created.") % {"name": cycle.name})
            return redirect("feedback:cycle", org_slug=organisation.slug, cycle_slug=cycle.slug)
    return render(request, "feedback/cycle_form.html", {"form": form, "cycle": None})


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def cycle_edit(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    initial = {
        "name": cycle.name,
        "framework": cycle.framework,
        "starts_on": cycle.starts_on,
        "ends_on": cycle.ends_on,
        "look_again_on": cycle.look_again_on,
    }
    form = CycleForm(
        request.POST or None, organisation=request.organisation, editing=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update(cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s has been updated.") % {"name": cycle.name})
            return redirect(
                "feedback:cycle", org_slug=request.organisation.slug, cycle_slug=cycle.slug
            )
    return render(request, "feedback/cycle_form.html", {"form": form, "cycle": cycle})


@organisation_view(roles=ADMINS)
@require_http_methods(["GET"])
def answers_download(request: HttpRequest, cycle_slug: str, fmt: str) -> HttpResponseBase:
    """Every answer of the cycle, in CSV (streamed), Excel or OpenDocument."""
    cycle = _cycle(request, cycle_slug)
    if fmt not in FORMATS:
        raise Http404
    if fmt in BACKGROUND_FORMATS and made_in_background(fmt, exports.answer_count(cycle)):
        # A large spreadsheet is made by a worker: the page there asks for it.
        url = reverse(
            "packs:export-file", kwargs={"org_slug": cycle.organisation.slug, "kind": "answers"}
        )
        return redirect(f"{url}?{urlencode({'cycle': cycle.slug, 'file_format': fmt})}")
    return table_response(
        exports.answers_table_export(cycle=cycle, actor=request.user, fmt=fmt), fmt
    )


@organisation_view()
@require_http_methods(["GET"])
def cycle_detail(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    # One count of the responses, by how they reached us, rather than one count per channel.
    counted = dict(
        cycle.responses.values("channel")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("channel", "n")
    )
    counts = {channel: counted.get(channel, 0) for channel in Channel.values}
    public_url = request.build_absolute_uri(
        reverse("feedback:public-form", kwargs={"code": cycle.public_code})
    )
    return render(
        request,
        "feedback/cycle_detail.html",
        {
            "cycle": cycle,
            "responses": sum(counts.values()),
            "by_channel": [(Channel(channel).label, n) for channel, n in counts.items() if n],
            "public_url": public_url,
            "improvement_links": _improvement_links(request.organisation.slug, cycle.slug),
            "imports": ImportJob.objects.filter(cycle=cycle)[:5],
            "can_manage": can_organise(request.membership),
            "can_download_answers": can_administer(request.membership),
            "answers_downloads": download_links(
                lambda fmt: reverse(
                    "feedback:answers-download",
                    kwargs={
                        "org_slug": request.organisation.slug,
                        "cycle_slug": cycle.slug,
                        "fmt": fmt,
                    },
                )
            ),
        },
    )


def _cycle_status_page(request: HttpRequest, cycle_slug: str, status: str) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    if request.method == "POST":
        services.cycle_set_status(cycle=cycle, status=status)
        if status == CycleStatus.OPEN:
            message = _("%(name)s is open for feedback.")
        else:
            message = _("%(name)s is closed. The feedback form now says so.")
        messages.success(request, message % {"name": cycle.name})
        return redirect("feedback:cycle", org_slug=request.organisation.slug, cycle_slug=cycle.slug)
    return render(
        request,
        "feedback/cycle_status.html",
        {"cycle": cycle, "opening": status == CycleStatus.OPEN},
    )


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def cycle_open(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    return _cycle_status_page(request, cycle_slug, CycleStatus.OPEN)


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def cycle_close(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    return _cycle_status_page(request, cycle_slug, CycleStatus.CLOSED)


@organisation_view()
@require_http_methods(["GET"])
def cycle_poster(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    """A page to print: the short link written out and as a QR code."""
    import segno

    cycle = _cycle(request, cycle_slug)
    url = request.build_absolute_uri(
        reverse("feedback:public-form", kwargs={"code": cycle.public_code})
    )
    easy_read_url = request.build_absolute_uri(
        reverse("feedback:public-form-easy-read", kwargs={"code": cycle.public_code})
    )
    qr = segno.make(url, error="m").svg_inline(
        scale=6, title=_("QR code for %(url)s") % {"url": url}, svgclass="wp-qr"
    )
    return render(
        request,
        "feedback/cycle_poster.html",
        {"cycle": cycle, "url": url, "easy_read_url": easy_read_url, "qr": qr},
    )


# --- responses entered or imported by staff ------------------------------------------------


@organisation_view(roles=STAFF_AND_ADMINS)
@once
@require_http_methods(["GET", "POST"])
def response_enter(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    themes, statements = _themes_and_i_statements(cycle.framework_id)
    form = EnteredResponseForm(request.POST or None, themes=themes, statements=statements)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_enter(
                cycle=cycle,
                answers=form.answers(),
                stories=form.stories(),
                perspective=form.perspective(),
                channel=form.cleaned_data["channel"],
                entered_by=request.user,
                detail=f"{form.cleaned_data['channel']} response entered on someone's behalf",
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The response has been saved. Thank you."))
            return redirect(
                "feedback:cycle", org_slug=request.organisation.slug, cycle_slug=cycle.slug
            )
    return render(
        request,
        "feedback/response_enter.html",
        {"cycle": cycle, "form": form, "groups": question_groups(form, themes, statements)},
    )


def question_groups(form, themes: list[Theme], statements: list[Statement], pictures=None):
    """(theme, [(statement, its radios, its picture)], the theme's story box), theme by theme."""
    pictures = pictures or {}
    return [
        (
            theme,
            [
                (s, form.answer_field(s), pictures.get(s.pk))
                for s in statements
                if s.theme_id == theme.pk
            ],
            form.story_field(theme),
        )
        for theme in themes
        if any(s.theme_id == theme.pk for s in statements)
    ]


@organisation_view(roles=STAFF_AND_ADMINS)
@once
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.MAX_IMPORT_BYTES:
            form.add_error("file", _("The file must be smaller than 50 MB. Split it into parts."))
        else:
            job = services.import_job_create(
                cycle=cycle, data=upload.read(), created_by=request.user
            )
            return redirect(
                "feedback:import-job",
                org_slug=request.organisation.slug,
                cycle_slug=cycle.slug,
                pk=job.pk,
            )
    i_keys, _we = services.cycle_statement_keys(cycle)
    return render(
        request,
        "feedback/import_upload.html",
        {"cycle": cycle, "form": form, "example_key": i_keys[0] if i_keys else "wi-i1"},
    )


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET"])
def import_job(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    job = get_object_or_404(
        ImportJob.objects.for_organisation(request.organisation), cycle=cycle, pk=pk
    )
    percent = int(100 * job.rows_done / job.rows_total) if job.rows_total else 0
    return render(
        request,
        "feedback/import_job.html",
        {"cycle": cycle, "job": job, "percent": min(percent, 100)},
    )


# --- frameworks ----------------------------------------------------------------------------


@organisation_view()
@require_http_methods(["GET"])
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = Framework.objects.available_to(request.organisation).order_by(
        "organisation", "title"
    )
    return render(request, "feedback/framework_list.html", {"frameworks": frameworks})


def _framework(request: HttpRequest, pk: int) -> Framework:
    return get_object_or_404(Framework.objects.available_to(request.organisation), pk=pk)


@organisation_view()
@require_http_methods(["GET"])
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    themes = list(framework.themes.order_by("position", "id").prefetch_related("statements"))
    return render(
        request, "feedback/framework_detail.html", {"framework": framework, "themes": themes}
    )


@organisation_view(roles=ADMINS)
@once
@require_http_methods(["GET", "POST"])
def framework_upload(request: HttpRequest) -> HttpResponse:
    form = FrameworkUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            source = form.cleaned_data["file"].read().decode("utf-8-sig")
            framework = services.framework_import(source=source, organisation=request.organisation)
        except UnicodeDecodeError:
            form.add_error(
                "file", _("The file must be UTF-8 text. Save it as UTF-8 and try again.")
            )
        except FrameworkInvalid as invalid:
            problems = invalid.errors
            form.add_error(
                "file",
                _("The framework file has problems. Fix the problems listed below and try again."),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(title)s has been loaded.") % {"title": framework.title})
            return redirect(
                "feedback:framework", org_slug=request.organisation.slug, pk=framework.pk
            )
    return render(request, "feedback/framework_upload.html", {"form": form, "problems": problems})


# --- pictures for the easy-read form -------------------------------------------------------


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET"])
def picture_list(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    statements = list(
        Statement.objects.filter(theme__framework=framework, kind=StatementKind.I)
        .select_related("theme")
        .order_by("theme__position", "position", "id")
    )
    pictures = {
        p.statement_id: p
        for p in StatementPicture.objects.for_organisation(request.organisation).filter(
            statement__theme__framework=framework
        )
    }
    rows = [(statement, pictures.get(statement.pk)) for statement in statements]
    return render(request, "feedback/picture_list.html", {"framework": framework, "rows": rows})


@organisation_view(roles=STAFF_AND_ADMINS)
@once
@require_http_methods(["GET", "POST"])
def picture_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Add or change the picture of one I statement, named by its key: `?statement=wi-i1`."""
    framework = _framework(request, pk)
    statement = get_object_or_404(
        Statement.objects.select_related("theme"),
        theme__framework=framework,
        kind=StatementKind.I,
        key=request.GET.get("statement", ""),
    )
    form = PictureForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["image"]
        data = upload.read(services.MAX_PICTURE_BYTES + 1)
        try:
            services.picture_save(
                organisation=request.organisation,
                statement=statement,
                data=data,
                alt_text=form.cleaned_data["alt_text"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The picture has been saved."))
            return redirect(
                "feedback:pictures", org_slug=request.organisation.slug, pk=framework.pk
            )
    return render(
        request,
        "feedback/picture_upload.html",
        {"form": form, "statement": statement, "framework": framework},
    )


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["POST"])
def picture_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove the picture of one I statement, named by its key in the form: `statement`."""
    framework = _framework(request, pk)
    key = request.POST.get("statement", "")
    if not key:
        raise BadRequest("Say which statement's picture to remove.")
    picture = get_object_or_404(
        StatementPicture.objects.for_organisation(request.organisation),
        statement__theme__framework=framework,
        statement__key=key,
    )
    services.picture_delete(picture=picture)
    messages.success(request, _("The picture has been removed."))
    return redirect("feedback:pictures", org_slug=request.organisation.slug, pk=framework.pk)
