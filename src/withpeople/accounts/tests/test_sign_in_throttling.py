"""Failed sign-ins are throttled per email address and client address, whatever the capitals."""

import pytest

from withpeople.testing.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, password, **extra):
    return client.post("/account/sign-in/", {"username": email, "password": password}, **extra)


def test_changing_capitals_does_not_get_round_the_throttle(client, settings):
    UserFactory(email="victim@example.org")
    assert sign_in(client, "victim@example.org", "a wrong guess").status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "victim@example.org", "a wrong guess")
    for typed in ("Victim@example.org", " VICTIM@EXAMPLE.ORG "):
        response = sign_in(client, typed, PASSWORD)
        assert response.status_code == 429, typed
        assert "_auth_user_id" not in client.session


def test_failures_with_other_capitals_count_together(client, settings):
    UserFactory(email="victim@example.org")
    typed = ["victim@example.org", "Victim@example.org", "VICTIM@example.org"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, typed[attempt % len(typed)], "a wrong guess")
    assert sign_in(client, "victim@example.org", PASSWORD).status_code == 429


def test_the_lockout_page_gives_the_cool_off_that_is_set(client, settings):
    settings.AXES_COOLOFF_TIME = 40 / 60  # hours, as settings.py makes it from minutes
    UserFactory(email="victim@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "victim@example.org", "a wrong guess")
    page = sign_in(client, "victim@example.org", PASSWORD).content.decode()
    assert "Try again in 40 minutes." in page
    assert "15 minutes" not in page
    assert 'can <a class="govuk-link" href="/account/password/reset/">reset your password</a>.' in (
        page
    )


def test_the_lockout_page_says_one_minute(client, settings):
    settings.AXES_COOLOFF_TIME = 1 / 60
    UserFactory(email="victim@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "victim@example.org", "a wrong guess")
    assert (
        "Try again in 1 minute." in sign_in(client, "victim@example.org", PASSWORD).content.decode()
    )
