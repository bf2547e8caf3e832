"""notify(): the outbox, preferences, easy read, the one-click unsubscribe, the in-app list."""

from __future__ import annotations

import datetime as dt
import email
import smtplib
from email import policy

import pytest
from django.core import mail
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone

from withpeople.notifications import services
from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.models import (
    Delivery,
    EmailStatus,
    Notification,
    NotificationPreference,
    OutgoingEmail,
)
from withpeople.notifications.services import Attachment, Recipient
from withpeople.notifications.tests.helpers import tell, test_templates  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_templates")]

ROUND = NotificationKind.CHECKIN_ROUND_OPENED  # may be switched off
CLAIM = NotificationKind.CLAIM_DECIDED  # always sent


def _parsed(message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def _header(parsed, name: str) -> str | None:
    value = parsed[name]
    return None if value is None else " ".join(str(value).split())


def _unsubscribe_path(message) -> str:
    address = _header(_parsed(message), "List-Unsubscribe").strip("<>")
    return address.removeprefix("http://127.0.0.1:8000")


def test_an_email_has_a_text_part_an_html_part_and_a_one_click_unsubscribe(members):
    user = members["partner"].user
    assert tell([user], organisation=members["partner"].organisation) == 1
    (message,) = mail.outbox
    parsed = _parsed(message)
    assert parsed["Subject"] == "Something happened: A round"
    assert parsed.get_body(("plain",)).get_content().startswith(f"Hello {user.name}.")
    assert "A round</a> happened" in parsed.get_body(("html",)).get_content()
    unsubscribe = _header(parsed, "List-Unsubscribe")
    assert unsubscribe.startswith("<http://127.0.0.1:8000/n/unsubscribe/")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "To stop these emails, open this link:" in parsed.get_body(("plain",)).get_content()
    sent = OutgoingEmail.objects.get()
    assert sent.status == EmailStatus.SENT and sent.attempts == 1
    assert parsed["Message-ID"] == sent.message_id


def test_notify_twice_tells_nobody_twice(members):
    user = members["partner"].user
    assert tell([user]) == 1
    assert tell([user]) == 0
    assert tell([Recipient(email=user.email.upper(), name="Again")]) == 0
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_nothing_is_sent_for_a_change_rolled_back(members, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.notify(
            kind=ROUND,
            organisation=None,
            recipients=[Recipient.of_user(members["partner"].user)],
            template="tests/notifications/example",
            context={"thing": "A round"},
            url="http://testserver/",
            key="k",
        )
        raise RuntimeError
    assert not callbacks
    assert not Notification.objects.exists() and not mail.outbox


def test_an_always_sent_kind_has_no_one_click_unsubscribe_and_cannot_be_turned_off(members):
    user = members["partner"].user
    with pytest.raises(ValueError):
        services.preference_set(kind=CLAIM, delivery=Delivery.NONE, user=user)
    NotificationPreference.objects.create(user=user, kind=CLAIM, delivery=Delivery.NONE)
    assert tell([user], kind=CLAIM) == 1  # a stored "none" is ignored too
    parsed = _parsed(mail.outbox[0])
    assert (
        _header(parsed, "List-Unsubscribe")
        == "<http://127.0.0.1:8000/account/notifications/choices/>"
    )
    assert parsed["List-Unsubscribe-Post"] is None
    assert "We always email you about this" in parsed.get_body(("plain",)).get_content()


def test_preferences_are_honoured(members):
    partner, staff, admin = (members[r].user for r in ("partner", "staff", "admin"))
    services.preference_set(kind=ROUND, delivery=Delivery.NONE, user=partner)
    services.preference_set(kind=ROUND, delivery=Delivery.WEEKLY, user=staff)
    assert tell([partner, staff, admin], organisation=members["admin"].organisation) == 1
    assert [m.to for m in mail.outbox] == [[admin.email]]
    deliveries = dict(Notification.objects.values_list("user", "delivery"))
    assert deliveries == {partner.pk: "none", staff.pk: "weekly", admin.pk: "now"}
    # Everyone sees it in the app.
    assert all(Notification.objects.for_user(u).count() == 1 for u in (partner, staff, admin))


def test_the_weekly_summary_is_sent_once_per_person_per_week(members):
    staff = members["staff"].user
    organisation = members["staff"].organisation
    services.preference_set(kind=ROUND, delivery=Delivery.WEEKLY, user=staff)
    tell([staff], key="a", thing="First", organisation=organisation)
    tell([staff], key="b", thing="Second", organisation=organisation)
    assert not mail.outbox
    today = timezone.localdate()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.weekly_summaries_send(today=today) == 1
        assert services.weekly_summaries_send(today=today) == 0
    (summary,) = mail.outbox
    assert summary.to == [staff.email]
    assert "Here are 2 things from this week" in summary.body
    assert "First" in summary.body and "Second" in summary.body
    # Next week, only what is new.
    tell([staff], key="c", thing="Third", organisation=organisation)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.weekly_summaries_send(today=today + dt.timedelta(days=7)) == 1
    assert "Third" in mail.outbox[1].body and "First" not in mail.outbox[1].body


def test_easy_read_wording_is_chosen_for_people_who_need_it(members):
    user = members["partner"].user
    tell([Recipient.of_user(user, easy_read=True)])
    tell([members["staff"].user])
    easy, plain = (m.body for m in mail.outbox)
    assert "Something new: A round. Look here:" in easy
    assert "A round happened" in plain
    assert Notification.objects.get(user=user).easy_read


def test_whoever_tells_them_people_whose_needs_ask_for_easy_read_get_it(members):
    """Any app's notification (here with no easy-read flag from the caller, as feedback's are)
    is worded in easy read for someone whose needs in that organisation ask for it."""
    from withpeople.groups.models import AccessNeeds

    partner, staff = members["partner"], members["staff"]
    AccessNeeds.objects.create(
        organisation=partner.organisation, membership=partner, easy_read=True
    )
    tell([partner.user, staff.user], organisation=partner.organisation)
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "Something new: A round. Look here:" in by_address[partner.user.email]
    assert "A round happened" in by_address[staff.user.email]
    # Needs are per organisation: told by no organisation, the plain wording.
    tell([partner.user], key="thing-2")
    assert "A round happened" in mail.outbox[-1].body


def test_attachments_are_kept_in_the_outbox_and_sent(members):
    calendar = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    tell(
        [members["partner"].user],
        kind=NotificationKind.MEETING_INVITATION,
        attachments=lambda r: [Attachment("invite.ics", calendar, "text/calendar")],
    )
    parsed = _parsed(mail.outbox[0])
    (part,) = list(parsed.iter_attachments())
    assert part.get_filename() == "invite.ics"
    assert part.get_payload(decode=True).replace(b"\r\n", b"\n") == calendar.replace(b"\r\n", b"\n")


class Refusing:
    """An email backend whose server is away."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@override_settings(
    EMAIL_BACKEND="withpeople.notifications.tests.test_notify.Refusing",
    NOTIFICATIONS_RETRY_DELAYS=[60, 300],
)
def test_an_unreachable_server_loses_nothing_and_is_retried_with_back_off_then_failed(members):
    tell([members["partner"].user], organisation=members["partner"].organisation)
    queued = OutgoingEmail.objects.get()
    assert (queued.status, queued.attempts) == (EmailStatus.QUEUED, 1)
    assert "SMTPServerDisconnected" in queued.last_error
    assert queued.next_attempt_at > timezone.now() + dt.timedelta(seconds=55)
    # Not due yet: a task finds nothing to do.
    assert services.email_send(queued.pk) == "nothing"
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert services.email_send(queued.pk) == "retry"
    queued.refresh_from_db()
    assert queued.next_attempt_at > timezone.now() + dt.timedelta(seconds=295)
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert services.email_send(queued.pk) == "failed"
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (EmailStatus.FAILED, 3)


def test_a_worker_that_died_mid_send_leaves_the_email_to_the_sweep(members):
    with override_settings(EMAIL_BACKEND="withpeople.notifications.tests.test_notify.Refusing"):
        tell([members["partner"].user])
    first = OutgoingEmail.objects.get()
    message_id = first.message_id
    # A worker claims it, then dies.
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert services.email_claim(first.pk) is not None
    assert services.email_send(first.pk) == "nothing"  # held by the lease
    assert services.outbox_sweep() == 0
    # Its lease runs out.
    OutgoingEmail.objects.update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert services.outbox_sweep() == 1  # enqueued again, and sent (immediate backend)
    first.refresh_from_db()
    assert first.status == EmailStatus.SENT
    assert _parsed(mail.outbox[-1])["Message-ID"] == message_id


def test_unsubscribe_one_click_needs_no_sign_in_and_refuses_a_tampered_token(client, members):
    user = members["partner"].user
    tell([user])
    path = _unsubscribe_path(mail.outbox[0])
    client.enforce_csrf_checks = True
    page = client.get(path)
    assert page.status_code == 200 and "Stop these emails" in page.text
    assert not NotificationPreference.objects.exists()  # a GET changes nothing
    tampered = path.replace("/n/unsubscribe/", "/n/unsubscribe/x")
    assert client.post(tampered).status_code == 400
    assert not NotificationPreference.objects.exists()
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert services.delivery_for(kind=ROUND, user=user) == Delivery.NONE
    assert tell([user], key="next") == 0


def test_someone_without_an_account_can_turn_a_kind_off_by_email(client):
    person = Recipient(email="Sam@Example.org", name="Sam")
    tell([person])
    path = _unsubscribe_path(mail.outbox[0])
    assert client.post(path).status_code == 200
    assert NotificationPreference.objects.get().email == "sam@example.org"
    assert tell([person], key="next") == 0
    assert Notification.objects.get(key="next").delivery == Delivery.NONE


def test_the_list_marks_unread_and_opening_marks_read(client_for, members, outsider):
    user = members["partner"].user
    organisation = members["partner"].organisation
    tell([user], key="a", thing="First round", organisation=organisation)
    tell([user], key="b", thing="Second round", organisation=organisation)
    client = client_for(members["partner"])
    page = client.get("/account/notifications/")
    assert page.text.count(">Unread</strong>") == 2
    assert "You have 2 unread notifications." in page.text
    assert '2 <span class="govuk-visually-hidden">unread</span>' in page.text  # the header
    first = Notification.objects.get(key="a")
    # Another organisation's user sees none of them, and cannot open one.
    other = client_for(outsider)
    assert "First round" not in other.get("/account/notifications/").text
    assert other.post(f"/account/notifications/{first.pk}/open/").status_code == 404
    first.refresh_from_db()
    assert first.read_at is None
    response = client.post(f"/account/notifications/{first.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/o/example/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert client.get("/account/notifications/").text.count(">Unread</strong>") == 1
    client.post("/account/notifications/read/")
    assert not Notification.objects.unread().exists()


def test_the_list_comes_a_page_at_a_time_and_counts_every_unread_one(
    client_for, members, django_assert_max_num_queries
):
    from withpeople.groups.tests.scale import queries_for
    from withpeople.notifications.views import PAGE_SIZE

    member = members["partner"]
    for n in range(3):
        tell([member.user], key=f"k{n}", thing=f"Round {n}", organisation=member.organisation)
    client = client_for(member)
    few = queries_for(client, "/account/notifications/")
    for n in range(3, PAGE_SIZE + 5):
        tell([member.user], key=f"k{n}", thing=f"Round {n}", organisation=member.organisation)
    with django_assert_max_num_queries(few):
        first = client.get("/account/notifications/").text
    second = client.get("/account/notifications/?page=2").text
    assert first.count(">Unread</strong>") == PAGE_SIZE
    assert second.count(">Unread</strong>") == 5
    assert f"You have {PAGE_SIZE + 5} unread notifications." in first
    assert "govuk-pagination" in first
    # The oldest is on the second page, the newest on the first.
    assert ">Something happened: Round 0<" not in first
    assert f">Something happened: Round {PAGE_SIZE + 4}<" in first


def test_the_preferences_page_saves_choices_and_shows_fixed_kinds(client_for, members):
    client = client_for(members["staff"])
    page = client.get("/account/notifications/choices/")
    assert "Always emailed straight away" in page.text
    assert 'name="claim_decided"' not in page.text
    assert 'name="checkin_round_opened"' in page.text
    from withpeople.notifications.forms import choosable_kinds

    data = {kind.value: "now" for kind in choosable_kinds()} | {"checkin_round_opened": "weekly"}
    response = client.post("/account/notifications/choices/", data | {"claim_decided": "none"})
    assert response.status_code == 302
    assert services.preferences_of(members["staff"].user)[ROUND] == "weekly"
    assert services.preferences_of(members["staff"].user)[CLAIM] == "now"
    bad = client.post("/account/notifications/choices/", {"checkin_round_opened": "often"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.text


def test_admins_see_emails_not_sent_and_can_try_again(client_for, members, outsider):
    organisation = members["admin"].organisation
    with override_settings(
        EMAIL_BACKEND="withpeople.notifications.tests.test_notify.Refusing",
        NOTIFICATIONS_RETRY_DELAYS=[],
    ):
        tell([members["partner"].user], organisation=organisation)
    failed = OutgoingEmail.objects.get()
    assert failed.status == EmailStatus.FAILED
    admin = client_for(members["admin"])
    page = admin.get("/o/example/emails-not-sent/")
    assert members["partner"].user.email in page.text and "Try again" in page.text
    assert client_for(members["staff"]).get("/o/example/emails-not-sent/").status_code == 403
    assert (
        client_for(outsider).post(f"/o/example/emails-not-sent/{failed.pk}/try-again/").status_code
        == 404
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin.post(f"/o/example/emails-not-sent/{failed.pk}/try-again/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_a_persons_notifications_are_in_their_download_and_go_with_them(members, outsider):
    from withpeople.core import personal_data
    from withpeople.privacy.services import person_erase

    partner = members["partner"]
    tell([partner.user, outsider.user], organisation=partner.organisation, thing="A round")
    tell([outsider.user], key="theirs", organisation=outsider.organisation)
    data = personal_data.export_membership(partner, about_someone_else=False)
    assert [n["subject"] for n in data["notifications"]] == ["Something happened: A round"]
    assert personal_data.export_membership(partner, about_someone_else=True)["notifications"] == {
        "count": 1
    }
    person_erase(membership=partner, actor=members["admin"].user)
    assert not Notification.objects.filter(email=partner.user.email).exists()
    assert not OutgoingEmail.objects.filter(to_email=partner.user.email).exists()
    # The other person's, in this organisation and their own, stay.
    assert Notification.objects.filter(user=outsider.user).count() == 2
