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

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from withpeople.core.schemas import ErrorOut, ProblemsOut
from withpeople.domain.assessment import assess
from withpeople.domain.rights import Right
from withpeople.domain.work_record import (
    FORMAT,
    FORMAT_2,
    PARTNER_PARTS,
    WorkRecordInvalid,
    parse_work_record_json,
)
from withpeople.organisations.access import can_organise, membership_for
from withpeople.works import services
from withpeople.works.access import work_or_404
from withpeople.works.history import history_entries, history_index, history_summary
from withpeople.works.models import Activity, Decision, Work
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


# --- Correcting and withdrawing evidence, and the history ------------------------------------
#
# The same services as the pages, so the same checks and the same messages: a change says why
# (`reason`), a DELETE withdraws with a reason rather than deleting, and only people with the
# right to record evidence on the work (its group, its leads, admins) may do either.


class ActivityChange(Schema):
    """What to change in an activity: only the fields given change. `reason` is required."""

    reason: str
    aspect: str | None = None
    date: dt.date | None = None
    date_confirmed: bool = False
    kind: str | None = None
    title: str | None = None
    notes: str | None = None
    explained_services: bool | None = None
    informed_of_decisions: bool | None = None
    views_sought: bool | None = None
    partners_shaped_agenda: bool | None = None
    partners_generated_options: bool | None = None
    partners_delivered: bool | None = None


class DecisionChange(Schema):
    """What to change in a decision: only the fields given change. `reason` is required."""

    reason: str
    aspect: str | None = None
    date: dt.date | None = None
    date_confirmed: bool = False
    summary: str | None = None
    decided_by: str | None = None
    partner_input_changed_it: bool | None = None
    change: str | None = None
    feedback_given_on: dt.date | None = None


class Withdrawal(Schema):
    reason: str


class EvidenceOut(Schema):
    id: int
    withdrawn: bool
    withdrawn_reason: str
    recorded_by: str | None
    #: Empty for what was recorded before WithPeople kept who and when.
    recorded_at: dt.datetime | None


class DifferenceOut(Schema):
    field: str
    label: str
    old: str
    new: str


class HistoryEntryOut(Schema):
    when: dt.datetime
    kind: str
    what: str
    subject: str
    who: str
    why: str
    personal_data_erased: bool
    differences: list[DifferenceOut]


class HistoryOut(Schema):
    count: int
    page: int
    pages: int
    entries: list[HistoryEntryOut]
    changes: int
    withdrawals: int
    by_whom: dict[str, int]


def _work_to_record(request: HttpRequest, slug: str, work_id: int) -> tuple[Any, Work]:
    membership = membership_for(request.auth, slug)
    try:
        return membership, work_or_404(membership, work_id, Right.RECORD)
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from denied


def _refused(error: ValidationError) -> Status:
    """422 with one line per problem, "field: message", as every 422 of the API says it."""
    if hasattr(error, "error_dict"):
        errors = [
            message if field == "__all__" else f"{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        errors = [str(message) for message in error.messages]
    return Status(422, {"detail": "Nothing was changed.", "errors": errors})


UNKNOWN_ASPECT = "Give the key of an aspect of this piece of work."


def _aspect_given(work: Work, given: dict[str, Any], current):
    """The aspect a change names by its key, the entry's own if it names none, or None for a
    key the piece of work does not have."""
    if given.get("aspect") is None:
        return current
    return work.aspects.filter(key=given["aspect"]).first()


def _evidence_out(evidence: Activity | Decision) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "withdrawn": evidence.is_withdrawn,
        "withdrawn_reason": evidence.withdrawn_reason,
        "recorded_by": evidence.recorded_by.user.name if evidence.recorded_by_id else None,
        "recorded_at": evidence.recorded_at,
    }


_EVIDENCE_RESPONSES = {200: EvidenceOut, 403: ErrorOut, 404: ErrorOut, 422: ProblemsOut}


@router.patch(
    "/organisations/{slug}/works/{work_id}/activities/{activity_id}",
    response=_EVIDENCE_RESPONSES,
)
def change_activity(
    request: HttpRequest, slug: str, work_id: int, activity_id: int, body: ActivityChange
):
    """Correct an activity, saying why. The earlier version stays in the history."""
    _membership, work = _work_to_record(request, slug, work_id)
    activity = get_object_or_404(work.activities.counted(), pk=activity_id)
    given = body.dict(exclude_unset=True)
    aspect = _aspect_given(work, given, activity.aspect)
    if aspect is None:
        return _refused(ValidationError({"aspect": UNKNOWN_ASPECT}))
    parts = {
        part: given[part] if given.get(part) is not None else getattr(activity, part)
        for part in PARTNER_PARTS
    }
    try:
        activity = services.activity_save(
            work=work,
            activity=activity,
            aspect=aspect,
            date=given.get("date") or activity.date,
            kind=given.get("kind") or activity.kind,
            title=activity.title if given.get("title") is None else given["title"],
            notes=activity.notes if given.get("notes") is None else given["notes"],
            participants=list(activity.participants.all()),
            actor=request.auth,
            change_reason=body.reason,
            date_confirmed=body.date_confirmed,
            **parts,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(200, _evidence_out(activity))


@router.delete(
    "/organisations/{slug}/works/{work_id}/activities/{activity_id}",
    response=_EVIDENCE_RESPONSES,
)
def withdraw_activity(
    request: HttpRequest, slug: str, work_id: int, activity_id: int, body: Withdrawal
):
    """Withdraw an activity with a reason: it no longer counts as evidence, and stays in the
    history, shown as withdrawn. Nothing is deleted."""
    membership, work = _work_to_record(request, slug, work_id)
    activity = get_object_or_404(work.activities.counted(), pk=activity_id)
    try:
        activity = services.activity_withdraw(
            activity=activity, actor=request.auth, reason=body.reason, withdrawn_by=membership
        )
    except ValidationError as error:
        return _refused(error)
    return Status(200, _evidence_out(activity))


@router.patch(
    "/organisations/{slug}/works/{work_id}/decisions/{decision_id}",
    response=_EVIDENCE_RESPONSES,
)
def change_decision(
    request: HttpRequest, slug: str, work_id: int, decision_id: int, body: DecisionChange
):
    """Correct a decision, saying why. The earlier version stays in the history."""
    _membership, work = _work_to_record(request, slug, work_id)
    decision = get_object_or_404(work.decisions.counted(), pk=decision_id)
    given = body.dict(exclude_unset=True)
    aspect = _aspect_given(work, given, decision.aspect)
    if aspect is None:
        return _refused(ValidationError({"aspect": UNKNOWN_ASPECT}))

    def value(name: str):
        return getattr(decision, name) if given.get(name) is None else given[name]

    try:
        decision = services.decision_save(
            work=work,
            decision=decision,
            aspect=aspect,
            date=value("date"),
            summary=value("summary"),
            decided_by=value("decided_by"),
            partner_input_changed_it=value("partner_input_changed_it"),
            change=value("change"),
            feedback_given_on=value("feedback_given_on"),
            actor=request.auth,
            change_reason=body.reason,
            date_confirmed=body.date_confirmed,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(200, _evidence_out(decision))


@router.delete(
    "/organisations/{slug}/works/{work_id}/decisions/{decision_id}",
    response=_EVIDENCE_RESPONSES,
)
def withdraw_decision(
    request: HttpRequest, slug: str, work_id: int, decision_id: int, body: Withdrawal
):
    """Withdraw a decision with a reason: it no longer counts as evidence, and stays in the
    history, shown as withdrawn. Nothing is deleted."""
    membership, work = _work_to_record(request, slug, work_id)
    decision = get_object_or_404(work.decisions.counted(), pk=decision_id)
    try:
        decision = services.decision_withdraw(
            decision=decision, actor=request.auth, reason=body.reason, withdrawn_by=membership
        )
    except ValidationError as error:
        return _refused(error)
    return Status(200, _evidence_out(decision))


class HistoryQuery(Schema):
    page: int = 1


HISTORY_PER_PAGE = 50


@router.get("/organisations/{slug}/works/{work_id}/history", response=HistoryOut)
def get_work_history(request: HttpRequest, slug: str, work_id: int, query: Query[HistoryQuery]):
    """Every change to a piece of work, newest first, 50 a page: who, when, why and what
    changed (old and new of each field), with how many changes and withdrawals, by whom."""
    work = _work(request, slug, work_id)
    index = history_index(work)
    pages = max(1, -(-len(index) // HISTORY_PER_PAGE))
    page = min(max(1, query.page), pages)
    entries = history_entries(
        index[(page - 1) * HISTORY_PER_PAGE : page * HISTORY_PER_PAGE], work_ids=[work.pk]
    )
    summary = history_summary(work)
    return {
        "count": len(index),
        "page": page,
        "pages": pages,
        "entries": [
            {
                "when": entry.when,
                "kind": entry.kind,
                "what": entry.what,
                "subject": entry.subject,
                "who": entry.who,
                "why": entry.why,
                "personal_data_erased": entry.personal_data_erased,
                "differences": [vars(difference) for difference in entry.differences],
            }
            for entry in entries
        ],
        "changes": summary.changes,
        "withdrawals": summary.withdrawals,
        "by_whom": summary.by_whom,
    }
