"""Meetings as iCalendar events (RFC 5545), with the `icalendar` library.

Each meeting keeps one UID for its whole life and a SEQUENCE that goes up by one with every
change, so a calendar updates the event it already has rather than adding another. A
cancellation is sent with METHOD:CANCEL and STATUS:CANCELLED. Times are given with
TZID=Europe/London and the VTIMEZONE that defines it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from withpeople.meetings.models import Meeting

LONDON = ZoneInfo("Europe/London")
PRODID = "-//WithPeople//Meetings//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "meetings:detail", kwargs={"org_slug": meeting.organisation.slug, "meeting_pk": meeting.pk}
    )


def _event(meeting: Meeting, *, cancelled: bool) -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(LONDON))
    event.add("dtend", meeting.ends_at.astimezone(LONDON))
    event.add("summary", meeting.title)
    where = ", ".join(part for part in (meeting.place.strip(), meeting.online_link) if part)
    if where:
        event.add("location", where)
    description = [meeting.agenda.strip(), meeting.getting_there.strip(), meeting_url(meeting)]
    event.add("description", "\n\n".join(part for part in description if part))
    event.add("url", meeting_url(meeting))
    organiser = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organiser.params["cn"] = vText(meeting.organisation.name)
    event["organizer"] = organiser
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _with_timezone(calendar: Calendar, meetings: Iterable[Meeting]) -> Calendar:
    calendar.add_missing_timezones()
    if not calendar.walk("VTIMEZONE"):
        # No event (an empty feed): still say which zone the feed is in.
        calendar.add_component(Timezone.from_tzid("Europe/London"))
    return calendar


def meeting_calendar(meeting: Meeting, *, method: str = REQUEST) -> bytes:
    """One meeting, as sent with an invitation, a change (REQUEST) or a cancellation (CANCEL)."""
    calendar = _calendar(method)
    calendar.add_component(_event(meeting, cancelled=method == CANCEL or meeting.is_cancelled))
    return _with_timezone(calendar, [meeting]).to_ical()


def feed_calendar(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A person's feed: every meeting they are invited to, cancelled ones marked so."""
    calendar = _calendar(PUBLISH)
    calendar.add("x-wr-calname", name)
    meetings = list(meetings)
    for meeting in meetings:
        calendar.add_component(_event(meeting, cancelled=meeting.is_cancelled))
    return _with_timezone(calendar, meetings).to_ical()
