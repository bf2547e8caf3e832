"""API endpoints for Making It Real feedback, mounted under /api/v1/.

Responses are sent by staff (for instance from another survey tool), never anonymously through
the API: the public form is the way in for people without an account, with its own protection
against spam. Results can be read by any member; they are small-number suppressed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from withpeople.domain.mir.responses_csv import ResponsesInvalid
from withpeople.feedback import services
from withpeople.feedback.models import Channel, ReviewCycle
from withpeople.feedback.selectors import cycle_results
from withpeople.organisations.access import can_organise, membership_for

router = Router(tags=["feedback"])

CYCLE_PATH = "/organisations/{slug}/cycles/{cycle}"


class ResponseIn(Schema):
    answers: dict[str, str]
    stories: dict[str, str] = {}
    perspective: str = ""


class ResponseCreatedOut(Schema):
    answers: int
    stories: int


class ImportedOut(Schema):
    responses: int
    answers: int


class ProblemsOut(Schema):
    detail: str
    errors: list[str]


class FiguresOut(Schema):
    suppressed: bool
    answered: int | None
    positive_percent: float | None


class CountsOut(Schema):
    always: int
    mostly: int
    sometimes: int
    rarely: int
    never: int
    not_applicable: int


class StatementResultOut(FiguresOut):
    key: str
    theme: str
    counts: CountsOut | None
    by_perspective: dict[str, FiguresOut]


class ThemeResultOut(FiguresOut):
    key: str


class ResultsOut(Schema):
    format: str
    cycle: str
    responses: int
    statements: list[StatementResultOut]
    themes: list[ThemeResultOut]


def _cycle(request: HttpRequest, slug: str, cycle: str, *, staff: bool) -> ReviewCycle:
    membership = membership_for(request.auth, slug)
    if staff and not can_organise(membership):
        raise HttpError(403, "Only staff and admins can do this.")
    return get_object_or_404(
        ReviewCycle.objects.for_organisation(membership.organisation).select_related(
            "framework", "organisation"
        ),
        slug=cycle,
    )


@router.post(
    CYCLE_PATH + "/responses",
    response={201: ResponseCreatedOut, 422: ProblemsOut},
    summary="Send one person's answers",
)
def submit_response(request: HttpRequest, slug: str, cycle: str, payload: ResponseIn):
    """Staff send one anonymous response: answers by I statement key, stories by theme key.

    Answers are always, mostly, sometimes, rarely, never or not_applicable. The response is
    recorded as sent through the API, with who sent it, and the sending is audited.
    """
    review_cycle = _cycle(request, slug, cycle, staff=True)
    try:
        response = services.response_enter(
            cycle=review_cycle,
            answers=payload.answers,
            stories=payload.stories,
            perspective=payload.perspective,
            channel=Channel.API,
            entered_by=request.auth,
            detail="response sent through the API",
        )
    except ValidationError as error:
        return Status(422, {"detail": "The response was not saved.", "errors": error.messages})
    return Status(201, {"answers": response.answers.count(), "stories": response.stories.count()})


@router.post(
    CYCLE_PATH + "/imports",
    response={201: ImportedOut, 413: ProblemsOut, 422: ProblemsOut},
    summary="Import a CSV file of answers",
)
def import_responses(request: HttpRequest, slug: str, cycle: str, file: UploadedFile = File(...)):  # noqa: B008
    """Check and import a responses CSV (the format is in docs/making-it-real.md), up to 50 MB.

    All or nothing: any problem gives 422 with every problem by line, and nothing is saved. A
    file over 50 MB gives 413. The responses record who imported them, and the import is audited.
    """
    review_cycle = _cycle(request, slug, cycle, staff=True)
    if file.size > services.MAX_IMPORT_BYTES:
        return Status(
            413,
            {
                "detail": "The file was not imported.",
                "errors": ["The file must be smaller than 50 MB. Split it into parts."],
            },
        )
    try:
        parsed = services.responses_check(cycle=review_cycle, data=file.read())
        responses, answers = services.responses_import(
            cycle=review_cycle,
            parsed=parsed,
            entered_by=request.auth,
            audit_detail="imported through the API",
        )
    except ResponsesInvalid as invalid:
        return Status(422, {"detail": "The file was not imported.", "errors": invalid.errors})
    return Status(201, {"responses": responses, "answers": answers})


@router.get(CYCLE_PATH + "/results", response=ResultsOut, summary="A cycle's results")
def read_results(request: HttpRequest, slug: str, cycle: str):
    """The cycle's results in the withpeople.results/1 format, small numbers suppressed."""
    review_cycle = _cycle(request, slug, cycle, staff=False)
    return cycle_results(review_cycle)
