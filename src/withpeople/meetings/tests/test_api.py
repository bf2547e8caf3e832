"""The meetings API: plan, list, reply and attendance, with the same rights as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from withpeople.accounts.services import api_token_create
from withpeople.meetings import services
from withpeople.meetings.tests.conftest import at
from withpeople.works.models import Activity

pytestmark = pytest.mark.django_db


def _api(membership) -> Client:
    _token, raw = api_token_create(user=membership.user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_plan_list_reply_through_the_api(work, members):
    staff, partner = _api(members["staff"]), _api(members["partner"])
    base = "/api/v1/organisations/example"
    response = staff.post(
        f"{base}/groups/{work.group_id}/meetings",
        {
            "title": "Choosing priorities",
            "starts_at": at(7).isoformat(),
            "ends_at": at(7, 16).isoformat(),
            "online_link": "https://meet.example.org/x",
            "aspects": ["deciding"],
            "arrangements": ["breaks"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    meeting = response.json()
    assert meeting["aspects"] == ["deciding"] and meeting["arrangements"] == ["breaks"]
    assert meeting["replies"]["invited"] == 4  # the whole group
    assert meeting["when"].endswith("2pm to 4pm")
    listed = partner.get(f"{base}/meetings").json()
    assert [m["id"] for m in listed] == [meeting["id"]]
    reply = partner.put(
        f"{base}/meetings/{meeting['id']}/reply",
        {"reply": "yes", "access_needs": "A quiet room"},
        content_type="application/json",
    )
    assert reply.status_code == 200 and reply.json()["reply"] == "yes"
    # Needs are for the organisers: the partner may not list the invitations.
    assert partner.get(f"{base}/meetings/{meeting['id']}/invitations").status_code == 403
    invitations = staff.get(f"{base}/meetings/{meeting['id']}/invitations").json()
    assert "A quiet room" in [i["access_needs"] for i in invitations]
    # A meeting that ends before it starts is refused, one line per problem.
    bad = staff.post(
        f"{base}/groups/{work.group_id}/meetings",
        {"title": "Backwards", "starts_at": at(7, 16).isoformat(), "ends_at": at(7).isoformat()},
        content_type="application/json",
    )
    assert bad.status_code == 422 and len(bad.json()["errors"]) == 2


def test_attendance_through_the_api_makes_one_activity(work, members):
    starts = timezone.now() - dt.timedelta(hours=4)
    meeting = services.meeting_plan(
        group=work.group,
        invitees=list(work.group.members.all()),
        planned_by=members["staff"],
        now=starts - dt.timedelta(days=1),
        title="Held",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        place="Hall",
    )
    came = list(work.group.members.filter(name__in=["Pat", "Jo"]).values_list("pk", flat=True))
    url = f"/api/v1/organisations/example/meetings/{meeting.pk}/attendance"
    for _ in range(2):
        response = _api(members["staff"]).post(
            url, {"attended": came, "parts": ["views_sought"]}, content_type="application/json"
        )
        assert response.status_code == 200 and response.json()["attendance_recorded"]
    assert Activity.objects.count() == 1


def test_the_command_lists_the_organisations_meetings(work, members):
    from io import StringIO

    from django.core.management import CommandError, call_command

    services.meeting_plan(
        group=work.group,
        invitees=list(work.group.members.all()),
        title="Choosing priorities",
        starts_at=at(3),
        ends_at=at(3, 16),
        place="Hall",
    )
    out = StringIO()
    call_command("meetings", "list", "--organisation", "example", stdout=out)
    (line,) = out.getvalue().splitlines()
    assert "Choosing priorities" in line and "2pm to 4pm" in line and "4 invited" in line
    with pytest.raises(CommandError):
        call_command("meetings", "list", "--organisation", "nowhere")
