"""API endpoints for evidence packs, mounted under /api/v1/: the same PDF as the pages give."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from withpeople.organisations.access import membership_for
from withpeople.packs import render, services
from withpeople.packs.forms import parse_period
from withpeople.works.access import visible_works, work_or_404

router = Router(tags=["evidence packs"])


class ErrorsOut(Schema):
    errors: list[str]


#: The answer is a PDF, not JSON: described here for the OpenAPI document.
PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "The evidence pack as a tagged PDF (PDF/UA-1).",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/organisations/{slug}/works/{work_id}/evidence-pack",
    response={200: None, 404: None},
    openapi_extra=PDF_RESPONSE,
)
def work_evidence_pack(request: HttpRequest, slug: str, work_id: int) -> HttpResponse:
    """The evidence pack of a piece of work, as a PDF, with the checksum of its record in the
    `X-Record-SHA256` header."""
    work = work_or_404(membership_for(request.auth, slug), work_id)
    pack = services.work_pack_make(work=work, actor=request.auth, form="API")
    response = render.pdf_response(pack)
    response["X-Record-SHA256"] = pack.checksum
    return response


@router.get(
    "/organisations/{slug}/evidence-pack",
    response={200: None, 422: ErrorsOut},
    openapi_extra=PDF_RESPONSE,
)
def organisation_evidence_pack(
    request: HttpRequest,
    slug: str,
    start: str = Query(..., alias="from", description="The first day, YYYY-MM-DD."),
    end: str = Query(..., alias="to", description="The last day, YYYY-MM-DD."),
):
    """The evidence pack of the organisation over a period, as a PDF: the pieces of work you
    can see that ran during it."""
    membership = membership_for(request.auth, slug)
    first, last, problems = parse_period(start, end, names=("from", "to"))
    if problems:
        return Status(422, {"errors": problems})
    pack = services.organisation_pack_make(
        organisation=membership.organisation,
        works=visible_works(membership),
        start=first,
        end=last,
        actor=request.auth,
        form="API",
    )
    response = render.pdf_response(pack)
    response["X-Record-SHA256"] = pack.checksum
    return response
