"""The evidence pack pages: one piece of work, or the organisation over a period.

Reading a pack needs the same right as reading what it shows: the piece of work (`work_view`,
so `individual`-level work only for its group and admins), or the organisation, with only the
pieces of work the reader may see (`visible_works`). Another organisation's gets 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from withpeople.core import fragments
from withpeople.core.once import once
from withpeople.core.tables import BACKGROUND_FORMATS, FORMATS
from withpeople.domain.rights import Right
from withpeople.organisations.access import organisation_view
from withpeople.packs import render as pack_render
from withpeople.packs import services
from withpeople.packs.exports import KINDS, ExportKind
from withpeople.packs.forms import PeriodForm
from withpeople.packs.models import ExportJob, PackJob, PackJobStatus
from withpeople.works.access import visible_works, work_view


@work_view(right=Right.READ)
@require_http_methods(["GET"])
def work_pack(request: HttpRequest, pk: int) -> HttpResponse:
    work = request.work  # type: ignore[attr-defined]
    pack = services.work_pack_make(work=work, actor=request.user, form="web page")
    return render(
        request,
        "packs/pack_page.html",
        {
            "pack": pack,
            "work": work,
            "pdf_url": reverse(
                "packs:work-pdf", kwargs={"org_slug": request.organisation.slug, "pk": work.pk}
            ),
        },
    )


@work_view(right=Right.READ)
@require_http_methods(["GET"])
def work_pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    work = request.work  # type: ignore[attr-defined]
    pack = services.work_pack_make(work=work, actor=request.user, form="PDF")
    return pack_render.pdf_response(pack)


def _period(request: HttpRequest) -> PeriodForm:
    return PeriodForm(request.GET, today=timezone.localdate())


@organisation_view()
@require_http_methods(["GET"])
def organisation_pack(request: HttpRequest) -> HttpResponse:
    """The period form, and once a period is given, the pack of the organisation over it."""
    return _organisation_page(request, _period(request))


def _organisation_page(request: HttpRequest, form: PeriodForm) -> HttpResponse:
    pack = None
    if form.is_valid():
        pack = services.organisation_pack_make(
            organisation=request.organisation,
            works=visible_works(request.membership),
            start=form.start,
            end=form.end,
            actor=request.user,
            form="web page",
        )
    return render(
        request,
        "packs/organisation.html",
        {
            "form": form,
            "pack": pack,
        },
        status=400 if form.bound and form.errors else 200,
    )


@organisation_view()
@once
@require_http_methods(["POST"])
def organisation_pack_pdf(request: HttpRequest) -> HttpResponse:
    """Ask for the PDF of the organisation's pack: a worker makes it (it takes several
    seconds), and the progress page offers it to download when it is ready."""
    form = PeriodForm(request.POST, today=timezone.localdate(), sent=True)
    if not form.is_valid():
        # Without a period there is no pack: the form says what is missing.
        return _organisation_page(request, form)
    job = services.pack_job_start(membership=request.membership, start=form.start, end=form.end)
    return redirect("packs:job", org_slug=request.organisation.slug, job_pk=job.pk)


def _job(request: HttpRequest, job_pk: int) -> PackJob:
    """The member's own pack: anyone else's, in any organisation, is not found."""
    return get_object_or_404(PackJob.objects.for_member(request.membership), pk=job_pk)


@organisation_view()
@require_http_methods(["GET"])
def job(request: HttpRequest, job_pk: int) -> HttpResponse:
    """How the PDF asked for is coming on; it refreshes itself, and works without JavaScript."""
    pack_job = _job(request, job_pk)
    return render(request, "packs/job.html", {"job": pack_job})


@organisation_view()
@require_http_methods(["GET"])
def job_pdf(request: HttpRequest, job_pk: int) -> HttpResponse:
    pack_job = _job(request, job_pk)
    if pack_job.status != PackJobStatus.DONE:
        raise Http404
    response = HttpResponse(bytes(pack_job.pdf), content_type="application/pdf")
    name = (
        f"evidence-pack-{request.organisation.slug}-{pack_job.starts_on}-{pack_job.ends_on}-"
        f"{pack_job.finished_at:%Y%m%d-%H%M}.pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Large spreadsheets, made in the background -----------------------------------------------


def _export_kind(request: HttpRequest, kind: str) -> ExportKind:
    """The kind of table, if this member may ask for it: another organisation's, or a kind
    that does not exist, is not found; a role that may not export it is refused."""
    if kind not in KINDS:
        raise Http404
    if not KINDS[kind].allowed(request.membership):
        raise PermissionDenied
    return KINDS[kind]


@organisation_view()
@once
@require_http_methods(["GET", "POST"])
def export_file(request: HttpRequest, kind: str) -> HttpResponse:
    """A large Excel or OpenDocument file: the page says it will be made in the background,
    and sending it asks for it. The table's own page sends people here when it is large."""
    export_kind = _export_kind(request, kind)
    query = request.POST if request.method == "POST" else request.GET
    params = export_kind.params(request.membership, query)
    file_format = query.get("file_format", "")
    if file_format not in BACKGROUND_FORMATS:
        raise Http404
    if request.method == "POST":
        job = services.export_job_start(
            membership=request.membership, kind=kind, params=params, file_format=file_format
        )
        return redirect("packs:export-job", org_slug=request.organisation.slug, job_pk=job.pk)
    return render(
        request,
        "packs/export_file.html",
        {
            "kind": kind,
            "export_kind": export_kind,
            "params": params,
            "file_format": file_format,
            "format_label": FORMATS[file_format][2],
            "kept_hours": int(services.EXPORT_KEPT.total_seconds() // 3600),
        },
    )


def _export_job(request: HttpRequest, job_pk: int) -> ExportJob:
    """The member's own file, still kept: anyone else's, in any organisation, is not found."""
    return get_object_or_404(
        ExportJob.objects.for_member(request.membership).filter(expires_at__gt=timezone.now()),
        pk=job_pk,
    )


@organisation_view()
@require_http_methods(["GET"])
def export_job(request: HttpRequest, job_pk: int) -> HttpResponse:
    """How the file asked for is coming on; it refreshes itself, and works without JavaScript."""
    job = _export_job(request, job_pk)
    export_kind = KINDS[job.kind]
    back_name, back_kwargs = export_kind.back(job)
    return render(
        request,
        "packs/export_job.html",
        {
            "job": job,
            "export_kind": export_kind,
            "format_label": FORMATS[job.file_format][2],
            "back_url": reverse(
                back_name, kwargs={"org_slug": request.organisation.slug, **back_kwargs}
            ),
        },
    )


@organisation_view()
@require_http_methods(["GET"])
def export_job_file(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = _export_job(request, job_pk)
    if job.status != PackJobStatus.DONE:
        raise Http404
    response = HttpResponse(bytes(job.content), content_type=FORMATS[job.file_format][0])
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def overview_section(request: HttpRequest) -> dict:
    """The overview's part: the period form that makes the organisation's pack.

    A GET form with no token, the same for everyone in the organisation on the same day (the
    year up to today): drawn once a day and kept (withpeople.core.fragments).
    """
    today = timezone.localdate()
    slug = request.organisation.slug
    return {
        "html": fragments.rendered(
            "packs/_overview_section_body.html",
            {
                "section": {"period_form": PeriodForm(None, today=today)},
                "request": request,
            },
            key=("evidence-pack-form", slug, today),
        )
    }
