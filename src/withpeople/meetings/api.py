"""API endpoints for meetings, mounted under /api/v1/: meetings, invitations, replies and
attendance. Who may do what is the same as on the pages (`withpeople.meetings.access`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from withpeople.core.schemas import ErrorOut, ProblemsOut
from withpeople.domain.rights import Right
from withpeople.groups.access import group_or_404
from withpeople.meetings import selectors, services
from withpeople.meetings.access import (
    ORGANISE,
    meeting_or_404,
    own_invitation,
    visible_meetings,
)
from withpeople.meetings.models import ARRANGEMENT_FIELDS, Invitation, Meeting
from withpeople.meetings.when import when_in_words
from withpeople.organisations.access import membership_for

router = Router(tags=["meetings"])

Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
Arrangement = Literal[
    "step_free", "hearing_loop", "british_sign_language", "easy_read_papers", "breaks"
]
Part = Literal[
    "explained_services",
    "informed_of_decisions",
    "views_sought",
    "partners_shaped_agenda",
    "partners_generated_options",
    "partners_delivered",
]


class RepliesOut(Schema):
    invited: int
    yes: int
    no: int
    maybe: int
    waiting: int


class MeetingOut(Schema):
    id: int
    group_id: int
    work_id: int | None
    title: str
    aspects: list[str]
    starts_at: dt.datetime
    ends_at: dt.datetime
    when: str
    place: str
    online_link: str
    getting_there: str
    arrangements: list[str]
    access_notes: str
    agenda: str
    papers: str
    uid: str
    sequence: int
    cancelled: bool
    attendance_recorded: bool
    replies: RepliesOut


class MeetingIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = ""
    online_link: str = ""
    getting_there: str = ""
    arrangements: list[Arrangement] = []
    access_notes: str = ""
    agenda: str = ""
    papers: str = ""
    #: Keys of the aspects of the piece of work it is about.
    aspects: list[Annotated[str, Field(max_length=50)]] = []
    #: Ids of group members to invite; leave out to invite the whole group.
    invitees: list[Id] | None = None


class InvitationOut(Schema):
    id: int
    member_id: int
    name: str
    has_account: bool
    reply: str
    replied_at: dt.datetime | None
    #: Only for the meeting's organisers and the person themselves; otherwise null.
    access_needs: str | None
    recognition: str
    attended: bool | None


class ReplyIn(Schema):
    reply: Literal["yes", "no", "maybe"]
    access_needs: str = ""
    recognition: Literal["", "payment", "vouchers", "thanks", "decline"] = ""


class AttendanceIn(Schema):
    #: Ids of the group members who attended (each must have been invited).
    attended: list[Id]
    parts: list[Part] = []


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _out(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "group_id": meeting.group_id,
        "work_id": meeting.work_id,
        "title": meeting.title,
        "aspects": [aspect.key for aspect in meeting.aspects.all()],
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "when": when_in_words(meeting.starts_at, meeting.ends_at),
        "place": meeting.place,
        "online_link": meeting.online_link,
        "getting_there": meeting.getting_there,
        "arrangements": [field for field, _label in ARRANGEMENT_FIELDS if getattr(meeting, field)],
        "access_notes": meeting.access_notes,
        "agenda": meeting.agenda,
        "papers": meeting.papers,
        "uid": meeting.uid,
        "sequence": meeting.sequence,
        "cancelled": meeting.is_cancelled,
        "attendance_recorded": meeting.attendance_recorded_at is not None,
        "replies": selectors.reply_counts(meeting),
    }


def _invitation_out(invitation: Invitation, *, with_needs: bool) -> dict:
    return {
        "id": invitation.pk,
        "member_id": invitation.member_id,
        "name": invitation.member.name,
        "has_account": invitation.member.membership_id is not None,
        "reply": invitation.reply,
        "replied_at": invitation.replied_at,
        "access_needs": invitation.access_needs if with_needs else None,
        "recognition": invitation.recognition,
        "attended": invitation.attended,
    }


def _refused(error: ValidationError) -> Status:
    if hasattr(error, "error_dict"):
        errors = [
            message if field == "__all__" else f"{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        errors = [str(message) for message in error.messages]
    return Status(422, {"detail": "Nothing was changed.", "errors": errors})


def _meeting(request: HttpRequest, slug: str, meeting_id: int, right: str = Right.READ) -> Meeting:
    membership = membership_for(request.auth, slug)
    try:
        return meeting_or_404(membership, meeting_id, right)
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from denied


@router.get("/organisations/{slug}/meetings", response=list[MeetingOut])
def list_meetings(request: HttpRequest, slug: str, upcoming: bool = False):
    """The meetings of the groups you may see, soonest first; `upcoming` for those not ended."""
    meetings = visible_meetings(membership_for(request.auth, slug)).prefetch_related("aspects")
    if upcoming:
        meetings = selectors.upcoming(meetings)
    return [_out(meeting) for meeting in meetings.order_by("starts_at", "pk")]


@router.get("/organisations/{slug}/meetings/{meeting_id}", response=MeetingOut)
def get_meeting(request: HttpRequest, slug: str, meeting_id: int):
    """One meeting, with how many replied yes, no and maybe."""
    return _out(_meeting(request, slug, meeting_id))


@router.post(
    "/organisations/{slug}/groups/{group_id}/meetings",
    response={201: MeetingOut, 403: ErrorOut, 422: ProblemsOut},
)
def plan_meeting(request: HttpRequest, slug: str, group_id: int, body: MeetingIn):
    """Plan a meeting of a group and invite people (the whole group unless `invitees`).

    Everyone invited is told by email, with the meeting for their calendar.
    """
    membership = membership_for(request.auth, slug)
    try:
        group = group_or_404(membership, group_id, Right.RECORD)
    except PermissionDenied as denied:
        return Status(403, {"detail": str(denied)})
    work = getattr(group, "work", None)
    aspects = list(work.aspects.filter(key__in=body.aspects)) if work else []
    if len(aspects) != len(set(body.aspects)):
        return _refused(ValidationError({"aspects": "Give keys of aspects of this piece of work."}))
    members = group.members.current()
    if body.invitees is not None:
        members = group.members.filter(pk__in=body.invitees)
        if members.count() != len(set(body.invitees)):
            return _refused(ValidationError({"invitees": "Give ids of people in this group."}))
    chosen = set(body.arrangements)
    try:
        meeting = services.meeting_plan(
            group=group,
            invitees=list(members),
            aspects=aspects,
            planned_by=membership,
            actor=request.auth,
            title=body.title,
            starts_at=_aware(body.starts_at),
            ends_at=_aware(body.ends_at),
            place=body.place,
            online_link=body.online_link,
            getting_there=body.getting_there,
            access_notes=body.access_notes,
            agenda=body.agenda,
            papers=body.papers,
            **{field: field in chosen for field, _label in ARRANGEMENT_FIELDS},
        )
    except ValidationError as error:
        return _refused(error)
    return Status(201, _out(meeting))


@router.get(
    "/organisations/{slug}/meetings/{meeting_id}/invitations",
    response={200: list[InvitationOut], 403: ErrorOut},
)
def list_invitations(request: HttpRequest, slug: str, meeting_id: int):
    """Who is invited and their replies (the meeting's organisers), with their access needs."""
    meeting = _meeting(request, slug, meeting_id, ORGANISE)
    return [
        _invitation_out(invitation, with_needs=True)
        for invitation in selectors.invitations_for_organisers(meeting)
    ]


@router.put(
    "/organisations/{slug}/meetings/{meeting_id}/reply",
    response={200: InvitationOut, 404: ErrorOut, 422: ProblemsOut},
)
def reply_to_meeting(request: HttpRequest, slug: str, meeting_id: int, body: ReplyIn):
    """Your own reply to a meeting you are invited to: yes, no or maybe, with any needs."""
    meeting = _meeting(request, slug, meeting_id)
    invitation = own_invitation(membership_for(request.auth, slug), meeting)
    if invitation is None:
        return Status(404, {"detail": "You are not invited to this meeting."})
    try:
        invitation = services.invitation_reply(
            invitation=invitation,
            reply=body.reply,
            access_needs=body.access_needs,
            recognition=body.recognition,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(200, _invitation_out(invitation, with_needs=True))


@router.post(
    "/organisations/{slug}/meetings/{meeting_id}/attendance",
    response={200: MeetingOut, 403: ErrorOut, 422: ProblemsOut},
)
def record_attendance(request: HttpRequest, slug: str, meeting_id: int, body: AttendanceIn):
    """Who attended, in one step (the meeting's organisers): the activity of the piece of work
    and proposed time for the partners who came. Sending it again corrects the same activity."""
    meeting = _meeting(request, slug, meeting_id, ORGANISE)
    attended = list(meeting.group.members.filter(pk__in=body.attended))
    if len(attended) != len(set(body.attended)):
        return _refused(ValidationError({"attended": "Give ids of people who were invited."}))
    membership = membership_for(request.auth, slug)
    try:
        meeting = services.attendance_record(
            meeting=meeting,
            attended=attended,
            parts=body.parts,
            actor=request.auth,
            recorded_by=membership,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(200, _out(meeting))
