"""Meetings in the browser: the plan form's errors, the meeting page, replying by a signed link
without signing in, recording attendance and the person's own meetings, each passing axe."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    DEMO_PASSWORD,
    assert_form_errors_accessible,
    load_demo,
    run_axe,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG = "/o/example-council"


def _checked(page, path: str) -> None:
    """axe passes, and at 320 pixels wide nothing scrolls sideways."""
    page.goto(path)
    assert run_axe(page) == [], path
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways at 320px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_plan_see_and_reply_to_a_meeting(new_page):
    from withpeople.meetings.demo import COMING, HELD
    from withpeople.meetings.links import reply_path
    from withpeople.meetings.models import Meeting

    load_demo()
    coming = Meeting.objects.get(title=COMING)
    held = Meeting.objects.get(title=HELD)

    page = new_page()
    sign_in(page, "staff@example.org", DEMO_PASSWORD)
    page.goto(f"{ORG}/groups/{coming.group_id}/meetings/")
    assert run_axe(page) == []
    assert_form_errors_accessible(page, f"{ORG}/groups/{coming.group_id}/meetings/new/")
    assert "Enter the date of the meeting" in page.content()
    assert Meeting.objects.count() == 3

    for path in (
        f"{ORG}/meetings/{coming.pk}/",
        f"{ORG}/meetings/{coming.pk}/change/",
        f"{ORG}/meetings/{coming.pk}/cancel/",
        f"{ORG}/meetings/{held.pk}/attendance/",
        f"{ORG}/meetings/",
    ):
        _checked(page, path)
    page.goto(f"{ORG}/meetings/{coming.pk}/")
    assert "A break every 45 minutes, please." in page.content()  # the organiser sees needs

    # Someone without an account replies through their link, signed out, without JavaScript.
    jo = coming.invitations.get(member__name="Jo")
    signed_out = new_page(javascript=False)
    signed_out.goto(reply_path(jo))
    assert signed_out.locator("h1").inner_text() == f"Can you come to {COMING}?"
    signed_out.check("input[name=reply][value=yes]")
    signed_out.fill("#id_access_needs", "Large print papers")
    signed_out.click("main button[type=submit]")
    assert "Your reply has been sent" in signed_out.content()
    jo.refresh_from_db()
    assert (jo.reply, jo.access_needs) == ("yes", "Large print papers")
    checked = new_page()
    _checked(checked, reply_path(jo))

    # Pat, the partner, confirms the time proposed from the board's meeting.
    from withpeople.meetings.demo import BOARD_MEETING
    from withpeople.recognition.models import TimeRecord

    record = TimeRecord.objects.get(
        meeting_invitation__meeting__title=BOARD_MEETING, member__name="Pat"
    )
    partner = new_page()
    sign_in(partner, "partner@example.org", DEMO_PASSWORD)
    _checked(partner, f"{ORG}/meetings/")
    _checked(partner, f"{ORG}/meetings/{coming.pk}/reply/")
    _checked(partner, f"{ORG}/time-and-payments/time/{record.pk}/confirm/")
    partner.click("main button[type=submit]")
    record.refresh_from_db()
    assert record.status == "confirmed"
    admin = new_page()
    sign_in(admin, "admin@example.org", DEMO_PASSWORD)
    _checked(admin, f"{ORG}/meetings/reminders/")
