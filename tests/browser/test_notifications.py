"""Notifications in the browser: the list with unread ones marked, the choices, the one-click
unsubscribe page and the admins' emails not sent, each checked with axe; without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_PASSWORD, load_demo, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _notifications_for(email: str) -> None:
    from withpeople.accounts.models import User
    from withpeople.notifications.models import EmailStatus, Notification, OutgoingEmail
    from withpeople.organisations.models import Organisation

    user = User.objects.get(email=email)
    organisation = Organisation.objects.get(slug="example-council")
    for number, subject in enumerate(["A check-in round opened", "Your claim was approved"]):
        Notification.objects.create(
            organisation=organisation,
            user=user,
            email=email,
            kind="checkin_round_opened" if number == 0 else "claim_decided",
            key=f"browser-{number}",
            subject=subject,
            text=subject,
            url="http://127.0.0.1:8000/o/example-council/",
        )
    OutgoingEmail.objects.create(
        organisation=organisation,
        dedupe_key=f"browser-failed-{email}",
        to_email="robin@example.org",
        subject="A check-in round opened",
        text="A check-in round opened",
        message_id=f"<browser-{user.pk}@example.org>",
        status=EmailStatus.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )


def test_notifications_pages_work_without_javascript_and_pass_axe(new_page):
    from withpeople.notifications.services import unsubscribe_token

    load_demo()
    _notifications_for("partner@example.org")
    _notifications_for("admin@example.org")

    # Without JavaScript: the list marks unread ones; opening one marks it read.
    page = new_page(javascript=False)
    sign_in(page, "partner@example.org", DEMO_PASSWORD)
    page.click("text=Notifications")
    page.wait_for_url("**/account/notifications/")
    unread = page.locator("main .govuk-tag", has_text="Unread").count()
    assert unread >= 2  # ours, and what the demo's own events told the partner
    assert f"Notifications {unread}" in page.locator(".govuk-service-navigation").inner_text()
    page.click("text=A check-in round opened")
    page.wait_for_url("**/o/example-council/")
    page.goto("/account/notifications/")
    assert page.locator("main .govuk-tag", has_text="Unread").count() == unread - 1
    page.goto("/account/notifications/choices/")
    page.check("#id_checkin_round_opened_1")  # weekly
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Your choices are saved." in page.content()
    assert page.locator("#id_checkin_round_opened_1").is_checked()

    # With JavaScript, for axe: every new page.
    page = new_page()
    sign_in(page, "admin@example.org", DEMO_PASSWORD)
    token = unsubscribe_token(kind="checkin_round_opened", email="robin@example.org", user_id=None)
    for path in [
        "/account/notifications/",
        "/account/notifications/choices/",
        f"/n/unsubscribe/{token}/",
        "/o/example-council/emails-not-sent/",
    ]:
        page.goto(path)
        assert page.locator("h1").is_visible(), path
        violations = run_axe(page)
        assert not violations, (path, violations)
    page.goto("/o/example-council/emails-not-sent/")
    with page.expect_navigation():
        page.locator("main button", has_text="Try again").first.click()
    assert "is being sent again" in page.content()
