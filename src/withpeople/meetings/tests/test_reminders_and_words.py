"""Reminders at the organisation's times, and meeting times in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from withpeople.meetings import services
from withpeople.meetings.models import ReminderSent
from withpeople.meetings.tests.conftest import at
from withpeople.meetings.when import when_in_words


def _london(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ((2027, 1, 12, 14), (2027, 1, 12, 16), "Tuesday 12 January 2027, 2pm to 4pm"),
        ((2027, 7, 1, 9, 30), (2027, 7, 1, 12), "Thursday 1 July 2027, 9:30am to midday"),
        (
            (2027, 7, 1, 22),
            (2027, 7, 2, 0),
            "Thursday 1 July 2027, 10pm to Friday 2 July 2027, midnight",
        ),
    ],
)
def test_times_in_words_are_in_london_time(start, end, words):
    assert when_in_words(_london(*start), _london(*end)) == words
    # The same moments given in UTC read the same: summer time is an hour ahead.
    assert when_in_words(_london(*start).astimezone(dt.UTC), _london(*end)) == words


@pytest.mark.django_db
def test_reminders_follow_the_organisations_times(
    work, members, client_for, django_capture_on_commit_callbacks
):
    admin = client_for(members["admin"])
    url = reverse("meetings:reminders", kwargs={"org_slug": "example"})
    assert admin.get(url).status_code == 200
    assert admin.post(url, {"reminders": ["1440"]}).status_code == 302
    assert services.reminder_offsets(work.organisation) == [1440]
    meeting = services.meeting_plan(
        group=work.group,
        invitees=list(work.group.members.all()),
        title="Choosing priorities",
        starts_at=at(4),
        ends_at=at(4, 16),
        place="Hall",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # Two days before: no reminder is due, as the organisation reminds a day before.
        assert services.reminders_send_due(meeting.starts_at - dt.timedelta(days=2)) == 0
        assert services.reminders_send_due(meeting.starts_at - dt.timedelta(hours=23)) == 3
        assert services.reminders_send_due(meeting.starts_at - dt.timedelta(hours=22)) == 0
    assert len(mail.outbox) == 3  # Dev has no email address: kept as reminded, not written to
    assert ReminderSent.objects.count() == 4
    # A cancelled meeting, or one that has started, reminds nobody.
    assert services.reminders_send_due(meeting.starts_at + dt.timedelta(minutes=1)) == 0
