"""A person's invitations and replies are in their download, and erasure takes their needs."""

from __future__ import annotations

import pytest

from withpeople.core import personal_data
from withpeople.meetings import services
from withpeople.meetings.models import CalendarFeed, Invitation
from withpeople.meetings.tests.conftest import at

pytestmark = pytest.mark.django_db


def _meeting(work):
    return services.meeting_plan(
        group=work.group,
        invitees=list(work.group.members.all()),
        title="Choosing priorities",
        starts_at=at(3),
        ends_at=at(3, 16),
        place="Hall",
    )


def test_the_download_has_replies_and_erasure_takes_the_needs(work, members):
    meeting = _meeting(work)
    pat = meeting.invitations.get(member__name="Pat")
    services.invitation_reply(invitation=pat, reply="yes", access_needs="A ramp")
    services.calendar_feed_for(members["partner"])

    own = personal_data.export_membership(members["partner"], about_someone_else=False)
    (entry,) = own["meeting_invitations"]
    assert (entry["meeting"], entry["reply"], entry["access_needs"]) == (
        "Choosing priorities",
        "yes",
        "A ramp",
    )
    assert own["calendar_feed"] is True
    # An admin answering a request learns only that needs were given.
    other = personal_data.export_membership(members["partner"], about_someone_else=True)
    assert other["meeting_invitations"][0]["access_needs"] is True

    personal_data.erase_membership(members["partner"])
    assert not CalendarFeed.objects.exists()
    pat = Invitation.objects.get(pk=pat.pk)
    assert (pat.reply, pat.access_needs) == ("yes", "")
