"""The evidence pack pages: one piece of work, or the organisation over a period.

Reading a pack needs the same right as reading what it shows: the piece of work (`work_view`,
so `individual`-level work only for its group and admins), or the organisation, with only the
pieces of work the reader may see (`visible_works`). Another organisation's gets 404.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from withpeople.domain.rights import Right
from withpeople.organisations.access import organisation_view
from withpeople.packs import render as pack_render
from withpeople.packs import services
from withpeople.packs.forms import PeriodForm
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
            "pdf_url": reverse(
                "packs:organisation-pdf", kwargs={"org_slug": request.organisation.slug}
            )
            + "?"
            + request.GET.urlencode(),
        },
        status=400 if form.bound and form.errors else 200,
    )


@organisation_view()
@require_http_methods(["GET"])
def organisation_pack_pdf(request: HttpRequest) -> HttpResponse:
    form = _period(request)
    if not form.is_valid():
        # Without a period there is no pack: the form says what is missing.
        return _organisation_page(request, form)
    pack = services.organisation_pack_make(
        organisation=request.organisation,
        works=visible_works(request.membership),
        start=form.start,
        end=form.end,
        actor=request.user,
        form="PDF",
    )
    return pack_render.pdf_response(pack)


def overview_section(request: HttpRequest) -> dict:
    """The overview's part: the period form that makes the organisation's pack."""
    return {"period_form": PeriodForm(None, today=timezone.localdate())}
