"""A meeting from plan to attendance, as people use it: the pages, the emails and calendars."""

from __future__ import annotations

import datetime as dt
import email
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from withpeople.meetings import services
from withpeople.meetings.links import reply_path
from withpeople.meetings.models import Invitation, Meeting
from withpeople.meetings.tests.conftest import at
from withpeople.recognition.models import TimeRecord, TimeStatus
from withpeople.works.models import Activity

pytestmark = pytest.mark.django_db


def _calendar(message) -> Calendar:
    """The calendar part of the email as it is sent, parsed as an email and as iCalendar."""
    sent = email.message_from_bytes(message.message().as_bytes())
    (part,) = [p for p in sent.walk() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    assert part.get_param("method") == calendar["METHOD"]
    return calendar


def _event(message):
    calendar = _calendar(message)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def _by_address(outbox) -> dict[str, object]:
    return {message.to[0]: message for message in outbox}


def _plan_data(work, **changes) -> dict:
    data = {
        "title": "Choosing Pat's priorities",
        "aspects": [work.aspects.get(key="deciding").pk],
        "date": at(10).strftime("%d/%m/%Y"),
        "start_time": "2pm",
        "end_time": "4pm",
        "place": "Town Hall, Room 2",
        "arrangements": ["step_free", "hearing_loop"],
        "agenda": "1. Welcome",
        "invitees": list(work.group.members.exclude(name="Dev").values_list("pk", flat=True)),
    }
    return data | changes


def test_plan_reply_change_remind_and_cancel(
    work, members, client_for, client, django_capture_on_commit_callbacks
):
    staff, partner = client_for(members["staff"]), client_for(members["partner"])
    url = reverse("meetings:create", kwargs={"org_slug": "example", "pk": work.group_id})
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, _plan_data(work))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.invitations.count() == 3
    assert "You are invited: Choosing Pat's priorities" in [m.subject for m in mail.outbox]

    # Everyone with an email address is invited, with the event for their calendar.
    sent = _by_address(mail.outbox)
    assert set(sent) == {
        members["staff"].user.email,
        members["partner"].user.email,
        "jo@example.net",
    }
    for message in sent.values():
        calendar, event = _event(message)
        assert calendar["METHOD"] == "REQUEST"
        assert str(event["UID"]) == meeting.uid
        assert event["SEQUENCE"] == 0
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert event["DTSTART"].dt == meeting.starts_at
        assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
        assert "2pm to 4pm" in message.body
    # Jo's communication needs ask for easy read; she replies through her own signed link.
    jo_mail = sent["jo@example.net"]
    assert "We would like you to come to a meeting." in jo_mail.body
    jo = meeting.invitations.get(member__name="Jo")
    link = re.search(r"http://[^/]+(/meetings/reply/\S+/)", jo_mail.body).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "Choosing Pat&#x27;s priorities" in page.content.decode()
    response = client.post(link, {"reply": "yes", "access_needs": "A ramp", "recognition": ""})
    assert response.status_code == 200 and "Your reply has been sent" in response.content.decode()
    jo.refresh_from_db()
    assert (jo.reply, jo.access_needs) == ("yes", "A ramp")

    # The partner replies signed in; the organiser sees the replies, the needs and the count.
    reply_url = reverse("meetings:reply", kwargs={"org_slug": "example", "meeting_pk": meeting.pk})
    assert partner.post(reply_url, {"reply": "no"}).status_code == 302
    detail = reverse("meetings:detail", kwargs={"org_slug": "example", "meeting_pk": meeting.pk})
    page = staff.get(detail).content.decode()
    assert "A ramp" in page and "3 invited: 1 coming, 0 maybe, 1 not coming" in page
    assert "Always: Easy read" in page  # Jo's communication needs, kept with the group
    # Needs are for the organisers only.
    assert "A ramp" not in partner.get(detail).content.decode()

    # A change tells everyone, with the next SEQUENCE; Jo's old link no longer saves anything.
    mail.outbox.clear()
    change = reverse("meetings:change", kwargs={"org_slug": "example", "meeting_pk": meeting.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(change, _plan_data(work, start_time="1pm", invitees=[]))
    assert response.status_code == 302
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        _cal, event = _event(message)
        assert event["SEQUENCE"] == 1 and str(event["UID"]) == meeting.uid
        assert "1pm to 4pm" in message.body
    stale = client.post(link, {"reply": "no"})
    assert stale.status_code == 410 and "This meeting has changed" in stale.content.decode()
    jo.refresh_from_db()
    assert jo.reply == "yes"

    # Reminders: two days before, to everyone who did not say no, once.
    meeting.refresh_from_db()
    mail.outbox.clear()
    two_days_before = meeting.starts_at - dt.timedelta(days=2) + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due(two_days_before) == 2
        assert services.reminders_send_due(two_days_before + dt.timedelta(minutes=5)) == 0
    assert {m.to[0] for m in mail.outbox} == {members["staff"].user.email, "jo@example.net"}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due(meeting.starts_at - dt.timedelta(minutes=119)) == 2
    assert len(mail.outbox) == 4

    # Cancelling tells everyone, with METHOD:CANCEL, and closes the reply link.
    mail.outbox.clear()
    cancel = reverse("meetings:cancel", kwargs={"org_slug": "example", "meeting_pk": meeting.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(cancel, {"reason": "The room flooded."}).status_code == 302
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        calendar, event = _event(message)
        assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
        assert event["SEQUENCE"] == 2
        assert "The room flooded." in message.body
    jo.refresh_from_db()
    assert client.get(reply_path(jo)).status_code == 410


def _held_meeting(work, members) -> Meeting:
    starts = timezone.now() - dt.timedelta(hours=3)
    return services.meeting_plan(
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


def test_attendance_becomes_an_activity_and_proposed_time_once(
    work, members, client_for, django_capture_on_commit_callbacks
):
    meeting = _held_meeting(work, members)
    staff, partner = client_for(members["staff"]), client_for(members["partner"])
    url = reverse("meetings:attendance", kwargs={"org_slug": "example", "meeting_pk": meeting.pk})
    assert staff.get(url).status_code == 200
    came = list(
        work.group.members.filter(name__in=["Sam", "Pat", "Jo"]).values_list("pk", flat=True)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {"attended": came, "parts": ["views_sought"]})
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.title == "Hearing from people" and activity.views_sought
    assert activity.aspect.key == "understanding"
    assert set(activity.participants.values_list("name", flat=True)) == {"Sam", "Pat", "Jo"}
    # Time is proposed for the partners who came (Pat and Jo), not for staff.
    records = TimeRecord.objects.filter(status=TimeStatus.PROPOSED)
    assert set(records.values_list("member__name", flat=True)) == {"Pat", "Jo"}
    assert {r.minutes for r in records} == {120}
    (told,) = mail.outbox  # Pat has an account and is told; Jo confirms it with staff
    assert told.to == [members["partner"].user.email]
    assert "2 hours" in told.body

    # Recording it again corrects the same activity: no second activity, no second time.
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(url, {"attended": came[:2], "parts": ["views_sought"]})
    assert Activity.objects.count() == 1
    assert TimeRecord.objects.count() == len(
        [i for i in Invitation.objects.filter(attended=True) if i.member.is_partner]
    )

    # Pat confirms, changing it to 90 minutes.
    pat_record = TimeRecord.objects.get(member__name="Pat")
    confirm = reverse(
        "recognition:time-confirm", kwargs={"org_slug": "example", "pk": pat_record.pk}
    )
    assert partner.post(confirm, {"hours": "1", "minutes": "30"}).status_code == 302
    pat_record.refresh_from_db()
    assert (pat_record.status, pat_record.minutes) == (TimeStatus.CONFIRMED, 90)


def test_an_ended_or_tampered_reply_link_saves_nothing(work, members, client):
    meeting = _held_meeting(work, members)
    invitation = meeting.invitations.get(member__name="Jo")
    link = reply_path(invitation)
    ended = client.post(link, {"reply": "yes"})
    assert ended.status_code == 410 and "This meeting has happened" in ended.content.decode()
    tampered = client.post(link[:-3] + "abc/", {"reply": "yes"})
    assert tampered.status_code == 404
    assert "This reply link does not work" in tampered.content.decode()
    invitation.refresh_from_db()
    assert invitation.reply == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_time": "4pm", "end_time": "2pm"}, "The end time must be after the start time"),
        ({"date": "01/01/2020"}, "The meeting must be in the future"),
        ({"place": "", "online_link": ""}, "Enter a place, a link to join online, or both"),
    ],
)
def test_bad_plans_show_the_error_summary_and_save_nothing(
    work, members, client_for, changes, message
):
    url = reverse("meetings:create", kwargs={"org_slug": "example", "pk": work.group_id})
    response = client_for(members["staff"]).post(url, _plan_data(work, **changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert not Meeting.objects.exists() and not mail.outbox


def test_someone_outside_the_group_plans_nothing(work, organisation, client_for):
    from withpeople.testing.factories import MembershipFactory

    outside = MembershipFactory(organisation=organisation, role="staff")
    url = reverse("meetings:create", kwargs={"org_slug": "example", "pk": work.group_id})
    assert client_for(outside).post(url, _plan_data(work)).status_code == 403
    assert not Meeting.objects.exists()


def test_the_calendar_feed_is_read_by_its_token_alone(work, members, client_for, client):
    meeting = services.meeting_plan(
        group=work.group,
        invitees=list(work.group.members.all()),
        planned_by=members["staff"],
        title="Choosing priorities",
        starts_at=at(5),
        ends_at=at(5, 16),
        online_link="https://meet.example.org/a",
    )
    partner = client_for(members["partner"])
    reset = reverse("meetings:feed-reset", kwargs={"org_slug": "example"})
    partner.post(reset, {"make": "new"})
    feed = services.calendar_feed_for(members["partner"])
    url = reverse("meetings:feed", kwargs={"token": feed.token})
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == meeting.uid
    assert client.get(reverse("meetings:feed", kwargs={"token": "wrong"})).status_code == 404
    # A new address stops the old one.
    partner.post(reset, {"make": "new"})
    assert client.get(url).status_code == 404


def test_the_meeting_page_costs_the_same_for_more_people(work, members, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from withpeople.works.services import work_member_add

    staff = client_for(members["staff"])

    def queries() -> int:
        Meeting.objects.all().delete()
        meeting = services.meeting_plan(
            group=work.group,
            invitees=list(work.group.members.all()),
            planned_by=members["staff"],
            title="Choosing priorities",
            starts_at=at(3),
            ends_at=at(3, 16),
            place="Hall",
        )
        for invitation in meeting.invitations.all():
            services.invitation_reply(invitation=invitation, reply="yes", access_needs="A ramp")
        url = reverse("meetings:detail", kwargs={"org_slug": "example", "meeting_pk": meeting.pk})
        staff.get(url)  # the session is saved on the first visit only
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(url).status_code == 200
        return len(captured)

    few = queries()
    for number in range(6):
        work_member_add(work=work, name=f"Person {number}", perspective="carer")
    assert queries() == few


def test_proposed_time_is_paid_only_once_confirmed(work, members, client_for):
    meeting = _held_meeting(work, members)
    pat = work.group.members.get(name="Pat")
    services.attendance_record(meeting=meeting, attended=[pat], recorded_by=members["staff"])
    record = TimeRecord.objects.get(member=pat)
    url = reverse("recognition:payment-add", kwargs={"org_slug": "example", "pk": pat.pk})
    staff = client_for(members["staff"])
    assert f'value="{record.pk}"' not in staff.get(url).content.decode()
    record.status = TimeStatus.CONFIRMED
    record.save()
    assert f'value="{record.pk}"' in staff.get(url).content.decode()


def test_a_standing_group_plans_a_meeting_without_aspects(organisation, members, client_for):
    from withpeople.groups import services as group_services

    board = group_services.group_create(organisation=organisation, name="Board")
    pat = group_services.group_member_add(
        group=board,
        membership=members["partner"],
        name="Pat",
        perspective="lived_experience",
        role="member",
        joined_on=dt.date(2026, 1, 1),
    )
    url = reverse("meetings:create", kwargs={"org_slug": "example", "pk": board.pk})
    partner = client_for(members["partner"])  # in the group: an equal seat
    assert 'name="aspects"' not in partner.get(url).content.decode()
    data = {
        "title": "The year ahead",
        "date": at(10).strftime("%d/%m/%Y"),
        "start_time": "10am",
        "end_time": "12:30pm",
        "online_link": "https://meet.example.org/board",
        "invitees": [pat.pk],
    }
    assert partner.post(url, data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.work is None and meeting.planned_by == members["partner"]
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(hours=2, minutes=30)


def test_a_groups_meetings_come_a_page_at_a_time(
    work, members, client_for, django_assert_max_num_queries
):
    from withpeople.groups.tests.scale import queries_for
    from withpeople.meetings.views import MEETINGS_PER_PAGE

    def plan(n: int) -> None:
        services.meeting_plan(
            group=work.group,
            invitees=list(work.group.members.filter(name="Sam")),
            planned_by=members["staff"],
            title=f"Meeting number {n}",
            starts_at=at(n + 1),
            ends_at=at(n + 1, hour=16),
            place="Town Hall",
        )

    plan(0)
    client = client_for(members["partner"])
    url = reverse("meetings:group", kwargs={"org_slug": "example", "pk": work.group_id})
    few = queries_for(client, url)
    for n in range(1, MEETINGS_PER_PAGE + 3):
        plan(n)
    with django_assert_max_num_queries(few):
        first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert first.count("Meeting number ") == MEETINGS_PER_PAGE
    assert second.count("Meeting number ") == 3
    assert "govuk-pagination" in first
