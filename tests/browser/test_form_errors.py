"""Forms sent with errors on the demo: the error summary shows, takes focus and passes
axe, as each role; and the page an admin sees when the mail server is down."""

from __future__ import annotations

import socket

import pytest

from tests.browser.conftest import (
    DEMO_PASSWORD,
    assert_form_errors_accessible,
    load_demo,
    run_axe,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = DEMO_PASSWORD


ERROR_STATES = [
    ("anonymous", "/account/sign-in/"),
    ("anonymous", "/account/password/reset/"),
    ("admin", "/o/example-council/members/invite/"),
    ("staff", "/account/tokens/new/"),
    ("staff", "/account/password/change/"),
]


@pytest.mark.parametrize(("role", "path"), ERROR_STATES)
def test_forms_with_errors_pass_axe(role, path, new_page):
    """A form sent empty shows the error summary, focused, and still passes axe."""
    load_demo()
    page = new_page()
    if role != "anonymous":
        sign_in(page, f"{role}@example.org", PASSWORD)
    assert_form_errors_accessible(page, path)


def test_the_invitation_not_sent_page_passes_axe(new_page, settings):
    """What an admin sees when the mail server is down: a real SMTP connection that fails."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 2
    load_demo()
    page = new_page()
    sign_in(page, "admin@example.org", PASSWORD)
    page.goto("/o/example-council/members/invite/")
    page.fill("#id_email", "unreachable@example.org")
    page.check("#id_role_1")
    page.check("#id_perspective_0")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "The invitation email could not be sent"
    assert "/invitations/" in page.locator("#invitation-link").inner_text()
    assert not run_axe(page)
