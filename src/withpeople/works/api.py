"""API endpoints for pieces of work, mounted under /api/v1/.

The portable work record (``withpeople.work/1`` and ``/2``) and its assessment
(``withpeople.assessment/1``) are described in docs/work-record.md. An invalid record gets 422
with one line per problem.

A record in a request body is read from the raw body with `parse_work_record_json`, the same
code the commands use, so that anything that is not a valid record (not JSON, JSON nested too
deeply, a list or a string rather than an object) gets 422 and the same messages as
`withpeople assess`. The body is still described in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from withpeople.core.schemas import ErrorOut
from withpeople.domain.assessment import assess
from withpeople.domain.work_record import (
    FORMAT,
    FORMAT_2,
    WorkRecordInvalid,
    parse_work_record_json,
)
from withpeople.organisations.access import can_organise, membership_for
from withpeople.works import services
from withpeople.works.access import work_or_404
from withpeople.works.models import Work
from withpeople.works.selectors import assessment_for, stored_assessment

router = Router(tags=["works"])


class ErrorsOut(Schema):
    errors: list[str]


class ImportedOut(Schema):
    id: int
    title: str
    url: str


#: The request body of the endpoints that take a record, for the OpenAPI document: the body is
#: read by `parse_work_record_json`, not by ninja, so it is described here.
RECORD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "title": "Record",
                    "type": "object",
                    "additionalProperties": True,
                    "description": (
                        "A work record in the withpeople.work/1 or withpeople.work/2 format."
                    ),
                }
            }
        },
    }
}


@router.post("/assess", response={200: dict[str, Any], 422: ErrorsOut}, openapi_extra=RECORD_BODY)
def assess_record(request: HttpRequest):
    """Assess a work record without saving anything: evidenced and perceived rungs and flags."""
    try:
        return Status(200, assess(parse_work_record_json(request.body)))
    except WorkRecordInvalid as invalid:
        return Status(422, {"errors": invalid.errors})


@router.post(
    "/organisations/{slug}/works",
    response={201: ImportedOut, 403: ErrorOut, 422: ErrorsOut},
    openapi_extra=RECORD_BODY,
)
def import_work(request: HttpRequest, slug: str):
    """Import a work record as a new piece of work (staff and admins)."""
    membership = membership_for(request.auth, slug)
    if not can_organise(membership):
        return Status(403, {"detail": "Only staff and admins can import a piece of work."})
    try:
        with transaction.atomic():
            work = services.work_import(
                organisation=membership.organisation,
                record=parse_work_record_json(request.body),
                leads=[membership],
            )
    except WorkRecordInvalid as invalid:
        return Status(422, {"errors": invalid.errors})
    url = reverse("works:detail", kwargs={"org_slug": slug, "pk": work.pk})
    return Status(201, {"id": work.pk, "title": work.title, "url": request.build_absolute_uri(url)})


def _work(request: HttpRequest, slug: str, work_id: int) -> Work:
    """The piece of work, or 404 for another organisation's or one the caller may not see."""
    return work_or_404(membership_for(request.auth, slug), work_id)


@router.get("/organisations/{slug}/works/{work_id}", response=dict[str, Any])
def get_work_record(
    request: HttpRequest, slug: str, work_id: int, version: Literal["1", "2"] = "1"
):
    """The work record of a piece of work: withpeople.work/1, or with `version=2` the lossless
    withpeople.work/2 (the status, dates and leads of the work, people's names, activities'
    titles and notes, and the check-in rounds as well)."""
    work = _work(request, slug, work_id)
    return services.work_record_export(
        work=work,
        actor=request.auth,
        detail="API",
        format=FORMAT_2 if version == "2" else FORMAT,
    )


@router.get("/organisations/{slug}/works/{work_id}/assessment", response=dict[str, Any])
def get_work_assessment(request: HttpRequest, slug: str, work_id: int):
    """The assessment of a piece of work, in the withpeople.assessment/1 format."""
    work = _work(request, slug, work_id)
    stored = stored_assessment(work)
    return stored if stored is not None else assessment_for(work)
