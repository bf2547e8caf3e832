"""Forms sent with errors on the shared demo: the error summary shows, takes focus and passes
axe, as each role; and the page an admin sees when the mail server is down."""

from __future__ import annotations

import socket

import pytest

from tests.browser.conftest import DEMO_PASSWORD, assert_form_errors_accessible, run_axe, sign_in

pytestmark = pytest.mark.browser

PASSWORD = DEMO_PASSWORD


ERROR_STATES = [
    ("anonymous", "/account/sign-in/"),
    ("anonymous", "/account/password/reset/"),
    ("admin", "/o/example-council/members/invite/"),
    ("staff", "/account/tokens/new/"),
    ("staff", "/account/password/change/"),
]


@pytest.mark.parametrize(("role", "path"), ERROR_STATES)
def test_forms_with_errors_pass_axe(role, path, demo_page):
    """A form sent empty shows the error summary, focused, and still passes axe."""
    page = demo_page()
    if role != "anonymous":
        sign_in(page, f"{role}@example.org", PASSWORD)
    assert_form_errors_accessible(page, path)


def test_the_invitation_not_sent_page_passes_axe(demo_page, settings):
    """What an admin sees when the mail server is down: a real SMTP connection that fails.

    It leaves an invitation in the shared demo, so it comes last here (tests run in file order).
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 2
    page = demo_page()
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
