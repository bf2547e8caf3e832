"""Demo meetings for Example Council: one coming up, with replies, and one just held.

Runs after the demo pieces of work and groups. It replaces its own meetings, so the demo can
run again on the same database.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from withpeople.core.demo import register_demo_step
from withpeople.groups.demo import BOARD
from withpeople.groups.models import Group
from withpeople.meetings import services
from withpeople.meetings.models import Meeting
from withpeople.organisations.models import Membership, Organisation
from withpeople.works.models import Work

WORK_TITLE = "Learning disability strategy 2026\N{EN DASH}2030"
COMING = "Choosing what the strategy says first"
HELD = "Hearing from day centre users"
BOARD_MEETING = "Board meeting: the year ahead"


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@register_demo_step("meetings", order=37)
def create_demo_meetings(organisation: Organisation, people: dict) -> None:
    work = Work.objects.for_organisation(organisation).filter(title=WORK_TITLE).first()
    if work is None:
        return
    Meeting.objects.for_organisation(organisation).filter(
        title__in=[COMING, HELD, BOARD_MEETING]
    ).delete()
    staff = Membership.objects.get(organisation=organisation, user=people["staff"])
    members = list(work.group.members.current())
    by_name = {member.name: member for member in members}
    aspects = {aspect.key: aspect for aspect in work.aspects.all()}
    coming = services.meeting_plan(
        group=work.group,
        invitees=members,
        aspects=[aspects["deciding"]],
        planned_by=staff,
        actor=staff.user,
        title=COMING,
        starts_at=_at(9, 14),
        ends_at=_at(9, 16),
        place="Room 2, Town Hall, High Street",
        online_link="https://meet.example.org/ld-strategy",
        getting_there="The 12 bus stops outside. Use the side door on Mill Lane for the lift.",
        step_free=True,
        hearing_loop=True,
        easy_read_papers=True,
        breaks=True,
        access_notes="There is a quiet room next door.",
        agenda="1. Welcome\n2. What we heard\n3. Choosing the first three priorities",
        papers="What we heard, in easy read and in full.",
    )
    for name, reply, needs in (
        ("Pat", "yes", "A break every 45 minutes, please."),
        ("Jo", "maybe", ""),
        ("Helen", "no", ""),
    ):
        invitation = coming.invitations.get(member=by_name[name])
        services.invitation_reply(invitation=invitation, reply=reply, access_needs=needs)
    held_start = timezone.now() - dt.timedelta(days=1, hours=3)
    held = services.meeting_plan(
        group=work.group,
        invitees=members,
        aspects=[aspects["understanding"]],
        planned_by=staff,
        actor=staff.user,
        now=held_start - dt.timedelta(days=7),
        title=HELD,
        starts_at=held_start,
        ends_at=held_start + dt.timedelta(hours=2),
        place="Greenway Day Centre, Park Road",
        agenda="What works at the day centre, and what does not.",
    )
    for name in ("Pat", "Jo", "Amir"):
        services.invitation_reply(
            invitation=held.invitations.get(member=by_name[name]),
            reply="yes",
            now=held_start - dt.timedelta(days=1),
        )
    _board_meeting(organisation, staff)
    # Each demo person has a calendar address, shown on their meetings page.
    for user in people.values():
        services.calendar_feed_for(Membership.objects.get(organisation=organisation, user=user))


def _board_meeting(organisation: Organisation, staff: Membership) -> None:
    """A standing group's meeting last week, with attendance recorded: the partners who came
    have their time proposed, to confirm or change."""
    board = Group.objects.for_organisation(organisation).filter(name=BOARD).first()
    if board is None:
        return
    starts = _at(-7, 10)
    meeting = services.meeting_plan(
        group=board,
        invitees=list(board.members.current()),
        planned_by=staff,
        actor=staff.user,
        now=starts - dt.timedelta(days=14),
        title=BOARD_MEETING,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2, minutes=30),
        place="Council Chamber, Town Hall",
        step_free=True,
        hearing_loop=True,
        agenda="1. What we did this year\n2. Which pieces of work we follow next year",
    )
    came = [m for m in board.members.current() if m.name in ("Pat", "Maria", "Sam")]
    services.attendance_record(meeting=meeting, attended=came, actor=staff.user, recorded_by=staff)
