"""Check-in rounds that close on a date: asked when a round opens, shown while it is open,
closed by the daily tick once the date has passed, and "closing soon" for those who have not
answered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import dateformat, timezone

from withpeople.domain.work_record import parse_work_record
from withpeople.groups.models import AccessNeeds, GroupMember
from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.models import Notification
from withpeople.testing.factories import MembershipFactory
from withpeople.works import services, tasks
from withpeople.works.models import CheckinReceipt, CheckinRound

pytestmark = pytest.mark.django_db


def _in_words(day: dt.date) -> str:
    return dateformat.format(day, "l j F Y")


def _error_summary(body: str) -> str:
    return body.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]


@pytest.mark.parametrize(
    ("closes_on", "message"),
    [
        ("not a date", "Enter a real date, like 27/3/2026"),
        ("31/02/2030", "Enter a real date, like 27/3/2026"),
        ("yesterday", "The closing date must be today or in the future"),
    ],
)
def test_a_bad_closing_date_is_explained_and_opens_no_round(
    client_for, members, work, closes_on, message
):
    if closes_on == "yesterday":
        closes_on = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client_for(members["staff"]).post(
        f"/o/example/works/{work.pk}/check-in/rounds/new/",
        {"name": "Spring", "closes_on": closes_on},
    )
    assert response.status_code == 200
    assert message in _error_summary(response.content.decode())
    assert not CheckinRound.objects.exists()
    assert not Notification.objects.exists()


def test_the_service_refuses_a_closing_date_in_the_past(work):
    with pytest.raises(ValidationError):
        services.checkin_round_open(
            work=work, name="Spring", closes_on=timezone.localdate() - dt.timedelta(days=1)
        )
    assert not CheckinRound.objects.exists()


def test_the_closing_date_is_kept_and_shown_in_words_where_the_round_is_shown(
    client_for, members, work
):
    services.work_member_add(
        work=work, name="Pat", perspective="carer", membership=members["partner"]
    )
    closes_on = timezone.localdate() + dt.timedelta(days=9)
    lead = client_for(members["staff"])
    response = lead.post(
        f"/o/example/works/{work.pk}/check-in/rounds/new/",
        {"name": "Spring", "closes_on": closes_on.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    assert CheckinRound.objects.get().closes_on == closes_on
    open_until = f"Open until {_in_words(closes_on)}."
    partner = client_for(members["partner"])
    for client, page in [
        (lead, f"/o/example/works/{work.pk}/check-in/rounds/"),
        (partner, f"/o/example/works/{work.pk}/check-in/"),
        (partner, f"/o/example/works/{work.pk}/"),
    ]:
        assert open_until in client.get(page).content.decode(), page
    # The work record gives it out, and reads it back.
    record = lead.get(f"/o/example/works/{work.pk}/record.json").json()
    assert record["checkin_rounds"][0]["closes_on"] == closes_on.isoformat()
    assert parse_work_record(record).checkin_rounds[0].closes_on == closes_on


def test_a_round_with_no_closing_date_leaves_it_out_of_the_work_record(client_for, members, work):
    services.checkin_round_open(work=work, name="Spring")
    record = client_for(members["staff"]).get(f"/o/example/works/{work.pk}/record.json").json()
    assert "closes_on" not in record["checkin_rounds"][0]


def test_the_date_in_words_is_the_day_of_the_week_then_the_date():
    assert _in_words(dt.date(2026, 12, 15)) == "Tuesday 15 December 2026"


def test_a_round_with_no_closing_date_says_nothing_about_one(client_for, members, work):
    services.checkin_round_open(work=work, name="Spring")
    page = client_for(members["staff"]).get(f"/o/example/works/{work.pk}/check-in/rounds/")
    assert "Open until" not in page.content.decode()


def test_the_tick_closes_an_overdue_round_once_as_the_button_does(organisation, work):
    partner = MembershipFactory(organisation=organisation, perspective="carer")
    services.work_member_add(work=work, name="Pat", perspective="carer", membership=partner)
    today = timezone.localdate()
    checkin_round = services.checkin_round_open(work=work, name="Spring", closes_on=today)
    services.checkin_submit(
        checkin_round=checkin_round,
        membership=partner,
        answers={work.aspects.first(): "informing"},
    )
    # Open all of its last day.
    assert services.checkin_rounds_close_overdue(today=today) == 0
    checkin_round.refresh_from_db()
    assert checkin_round.is_open
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert tasks.checkin_rounds_close_overdue.call(today=tomorrow) == 1
    checkin_round.refresh_from_db()
    closed_at = checkin_round.closed_at
    assert closed_at is not None
    # As the "close round" button: nobody can answer, and who answered is forgotten.
    assert not CheckinReceipt.objects.exists()
    assert tasks.checkin_rounds_close_overdue.call(today=tomorrow) == 0
    checkin_round.refresh_from_db()
    assert checkin_round.closed_at == closed_at


def test_nobody_can_answer_after_the_closing_day_even_before_the_tick(
    organisation, work, monkeypatch
):
    partner = MembershipFactory(organisation=organisation, perspective="carer")
    services.work_member_add(work=work, name="Pat", perspective="carer", membership=partner)
    today = timezone.localdate()
    checkin_round = services.checkin_round_open(work=work, name="Spring", closes_on=today)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.checkin_submit(
            checkin_round=checkin_round,
            membership=partner,
            answers={work.aspects.first(): "informing"},
        )
    assert not CheckinReceipt.objects.exists()


@pytest.fixture
def group(organisation, members, work):
    """Pat (easy read) and Sam have accounts; Robin is reached only by email."""
    services.work_member_add(
        work=work, name="Pat", perspective="carer", membership=members["partner"]
    )
    sam = MembershipFactory(organisation=organisation, perspective="lived_experience")
    services.work_member_add(work=work, name="Sam", perspective="lived_experience", membership=sam)
    GroupMember.objects.create(
        group=work.group, name="Robin", perspective="lived_experience", contact="robin@example.org"
    )
    AccessNeeds.objects.create(
        organisation=organisation, membership=members["partner"], easy_read=True
    )
    return {"pat": members["partner"], "sam": sam}


def _closing_told() -> set[str]:
    return set(
        Notification.objects.filter(kind=NotificationKind.CHECKIN_ROUND_CLOSING).values_list(
            "email", flat=True
        )
    )


def test_closing_soon_tells_only_those_with_an_account_who_have_not_answered_once(work, group):
    today = timezone.localdate()
    checkin_round = services.checkin_round_open(
        work=work, name="Spring", closes_on=today + dt.timedelta(days=2)
    )
    services.checkin_submit(
        checkin_round=checkin_round,
        membership=group["sam"],
        answers={work.aspects.first(): "informing"},
    )
    # Three days before: too early.
    assert services.checkin_rounds_closing_notify(today=today - dt.timedelta(days=1)) == 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.checkin_rounds_closing_notify.call(today=today.isoformat()) == 1
        assert tasks.checkin_rounds_closing_notify.call(today=today.isoformat()) == 0
        # The next day too: once per round and closing date.
        next_day = (today + dt.timedelta(days=1)).isoformat()
        assert tasks.checkin_rounds_closing_notify.call(today=next_day) == 0
    assert _closing_told() == {group["pat"].user.email}
    to_pat = [m for m in mail.outbox if m.to == [group["pat"].user.email]]
    assert len(to_pat) == 1  # the opened message was not sent here: it was not committed
    closing = to_pat[0]
    # Pat asked for easy read.
    assert "We still want to know what you think." in closing.body
    assert f"Please answer by {_in_words(today + dt.timedelta(days=2))}." in closing.body
    assert f"/o/example/works/{work.pk}/check-in/" in closing.body


def test_closing_soon_in_the_usual_wording_for_others(organisation, work, group):
    AccessNeeds.objects.filter(membership=group["pat"]).update(easy_read=False)
    closes_on = timezone.localdate() + dt.timedelta(days=1)
    services.checkin_round_open(work=work, name="Spring", closes_on=closes_on)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.checkin_rounds_closing_notify(today=timezone.localdate()) == 2
    assert _closing_told() == {group["pat"].user.email, group["sam"].user.email}
    closing = [m for m in mail.outbox if "by " + _in_words(closes_on) in m.subject]
    assert len(closing) == 2
    assert "You have not answered yet." in closing[0].body
    assert "We still want to know" not in closing[0].body


def test_a_closed_round_or_one_with_no_date_tells_nobody_it_is_closing(work, group):
    today = timezone.localdate()
    services.checkin_round_open(work=work, name="Spring")
    assert services.checkin_rounds_closing_notify(today=today) == 0
    checkin_round = CheckinRound.objects.get()
    checkin_round.closes_on = today
    checkin_round.save()
    services.checkin_round_close(checkin_round=checkin_round)
    assert services.checkin_rounds_closing_notify(today=today) == 0
    assert not _closing_told()


def test_the_message_that_a_round_opened_gives_its_closing_date(work, group):
    closes_on = timezone.localdate() + dt.timedelta(days=14)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.checkin_round_open(work=work, name="Spring", closes_on=closes_on)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert f"It is open until {_in_words(closes_on)}." in bodies[group["sam"].user.email]
    # Pat reads easy read.
    assert f"Please answer by {_in_words(closes_on)}." in bodies[group["pat"].user.email]
