# ruff: noqa: F811 (the fixtures imported below are named again as test arguments)
"""A meeting from plan to attendance, with every email sent by a real `withpeople worker`
process to a real SMTP server on 127.0.0.1, and every message parsed as it arrived: as email,
and its calendar part as iCalendar (UID, SEQUENCE, TZID, METHOD).

Plan (inviting people with and without accounts), reply (signed in, and by a signed link that
needs no account), change, remind, cancel; then a meeting held, whose attendance becomes an
activity of the piece of work and proposed time for the partners who came. The tests commit,
so they run on their own: `serial` (see tests/test_worker.py).
"""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.test_notification_delivery import smtp, workers  # noqa: F401 (fixtures)
from withpeople.meetings import services
from withpeople.meetings.models import Meeting
from withpeople.meetings.tests.conftest import work  # noqa: F401 (fixture)
from withpeople.meetings.tests.test_journey import _plan_data
from withpeople.recognition.models import TimeRecord, TimeStatus
from withpeople.works.models import Activity

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]


class Inbox:
    """What the SMTP server received, parsed, in the order it arrived."""

    def __init__(self, smtp, workers) -> None:
        self.smtp, self.workers, self.read = smtp, workers, 0

    def new(self, count: int, what: str) -> list[email.message.EmailMessage]:
        """Wait for `count` more messages; return them parsed."""
        self.workers.wait_for(what, lambda: self.smtp.handler.count() >= self.read + count)
        arrived = self.smtp.handler.received[self.read : self.read + count]
        self.read += count
        return [email.message_from_bytes(r.data, policy=policy.default) for r in arrived]

    def all_ids(self) -> list[str]:
        return [
            email.message_from_bytes(r.data, policy=policy.default)["Message-ID"]
            for r in self.smtp.handler.received
        ]


def _event(message: email.message.EmailMessage):
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    assert part.get_param("method") == calendar["METHOD"]
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    return calendar["METHOD"], str(event["UID"]), event["SEQUENCE"]


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_a_meeting_from_plan_to_cancellation_by_smtp(
    smtp, workers, work, members, client_for, client
):
    inbox = Inbox(smtp, workers)
    workers.start(1)
    staff, partner = client_for(members["staff"]), client_for(members["partner"])
    invited = {members["staff"].user.email, members["partner"].user.email, "jo@example.net"}

    # Plan: the staff member and the partner have accounts; Jo has only an email address.
    url = reverse("meetings:create", kwargs={"org_slug": "example", "pk": work.group_id})
    assert staff.post(url, _plan_data(work)).status_code == 302
    meeting = Meeting.objects.get()
    arrived = inbox.new(3, "the three invitations")
    assert {m["To"].addresses[0].addr_spec for m in arrived} == invited
    for message in arrived:
        assert _event(message) == ("REQUEST", meeting.uid, 0)
        assert "2pm to 4pm" in _text(message)
    jo_mail = next(m for m in arrived if m["To"].addresses[0].addr_spec == "jo@example.net")

    # Jo replies through the link in her email, with no account; the partner signed in.
    link = re.search(r"http://[^/\s]+(/meetings/reply/\S+/)", _text(jo_mail)).group(1)
    assert client.post(link, {"reply": "yes", "access_needs": "A ramp"}).status_code == 200
    reply = reverse("meetings:reply", kwargs={"org_slug": "example", "meeting_pk": meeting.pk})
    assert partner.post(reply, {"reply": "no"}).status_code == 302
    detail = reverse("meetings:detail", kwargs={"org_slug": "example", "meeting_pk": meeting.pk})
    assert "3 invited: 1 coming, 0 maybe, 1 not coming" in staff.get(detail).content.decode()

    # A change reaches everyone invited, with the same UID and the next SEQUENCE.
    change = reverse("meetings:change", kwargs={"org_slug": "example", "meeting_pk": meeting.pk})
    assert staff.post(change, _plan_data(work, start_time="1pm", invitees=[])).status_code == 302
    for message in inbox.new(3, "the three changes"):
        assert _event(message) == ("REQUEST", meeting.uid, 1)
        assert "1pm to 4pm" in _text(message)

    # Reminders two days before: not to the partner, who said no, and never twice.
    meeting.refresh_from_db()
    two_days_before = meeting.starts_at - dt.timedelta(days=2) + dt.timedelta(minutes=1)
    assert services.reminders_send_due(two_days_before) == 2
    assert services.reminders_send_due(two_days_before + dt.timedelta(minutes=5)) == 0
    reminders = inbox.new(2, "two reminders")
    assert {m["To"].addresses[0].addr_spec for m in reminders} == invited - {
        members["partner"].user.email
    }
    for message in reminders:
        assert _event(message) == ("REQUEST", meeting.uid, 1)

    # Cancelling tells everyone, with METHOD:CANCEL.
    cancel = reverse("meetings:cancel", kwargs={"org_slug": "example", "meeting_pk": meeting.pk})
    assert staff.post(cancel, {"reason": "The room flooded."}).status_code == 302
    for message in inbox.new(3, "the three cancellations"):
        assert _event(message) == ("CANCEL", meeting.uid, 2)
        assert "The room flooded." in _text(message)

    # Each message arrived once.
    workers.wait_for("nothing more to send", lambda: smtp.handler.count() == 11, timeout=5)
    ids = inbox.all_ids()
    assert len(ids) == len(set(ids)) == 11


def test_attendance_becomes_an_activity_and_proposed_time_by_smtp(
    smtp, workers, work, members, client_for
):
    inbox = Inbox(smtp, workers)
    workers.start(1)
    starts = timezone.now() - dt.timedelta(hours=3)
    meeting = services.meeting_plan(
        group=work.group,
        invitees=list(work.group.members.all()),
        aspects=[work.aspects.get(key="understanding")],
        planned_by=members["staff"],
        now=starts - dt.timedelta(days=5),
        title="Hearing from people",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="Day centre",
    )
    inbox.new(3, "the invitations")
    staff = client_for(members["staff"])
    url = reverse("meetings:attendance", kwargs={"org_slug": "example", "meeting_pk": meeting.pk})
    came = list(
        work.group.members.filter(name__in=["Sam", "Pat", "Jo"]).values_list("pk", flat=True)
    )
    assert staff.post(url, {"attended": came, "parts": ["views_sought"]}).status_code == 302

    activity = Activity.objects.get()
    assert activity.views_sought and activity.aspect.key == "understanding"
    assert set(activity.participants.values_list("name", flat=True)) == {"Sam", "Pat", "Jo"}
    proposed = TimeRecord.objects.filter(status=TimeStatus.PROPOSED)
    assert set(proposed.values_list("member__name", flat=True)) == {"Pat", "Jo"}
    (told,) = inbox.new(1, "the partner told of the time proposed")
    assert told["To"].addresses[0].addr_spec == members["partner"].user.email
    assert "2 hours" in _text(told)
    assert not [p for p in told.walk() if p.get_content_type() == "text/calendar"]
