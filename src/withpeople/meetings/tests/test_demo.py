"""The demo has a meeting coming up with replies, and one just held, and can run twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from withpeople.meetings.demo import BOARD_MEETING, COMING, HELD
from withpeople.meetings.models import CalendarFeed, Meeting
from withpeople.recognition.models import TimeRecord, TimeStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_meetings_with_replies():
    call_command("demo", "--force", "--password", "demo-pass-123", verbosity=0)
    call_command("demo", "--force", "--password", "demo-pass-123", verbosity=0)
    meetings = Meeting.objects.filter(organisation__slug="example-council")
    coming, held = meetings.get(title=COMING), meetings.get(title=HELD)
    assert not coming.has_ended() and held.has_ended()
    assert set(coming.invitations.exclude(reply="").values_list("reply", flat=True)) == {
        "yes",
        "maybe",
        "no",
    }
    # Pat, the demo partner, is invited and can reply; someone without an account is too.
    assert coming.invitations.filter(member__membership__user__email="partner@example.org")
    assert coming.invitations.filter(member__membership__isnull=True).exists()
    assert held.attendance_recorded_at is None
    # At the board's meeting last week, the partners who came have their time to confirm.
    board = meetings.get(title=BOARD_MEETING)
    proposed = TimeRecord.objects.filter(meeting_invitation__meeting=board)
    assert set(proposed.values_list("member__name", flat=True)) == {"Pat", "Maria"}
    assert {record.status for record in proposed} == {TimeStatus.PROPOSED}
    assert CalendarFeed.objects.count() == 3
