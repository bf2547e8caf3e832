"""A passkey in the real browser, with Chromium's virtual authenticator: added on the account
page beside an authenticator app, then used instead of a code to sign in. The pages pass axe."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_adding_a_passkey_and_signing_in_with_it(new_page):
    from withpeople.accounts import second_factor
    from withpeople.accounts.models import Passkey
    from withpeople.testing.factories import PASSWORD, UserFactory

    user = UserFactory(email="kim@example.org")
    key = second_factor.new_key()
    second_factor.second_factor_set_up(
        user=user, key=key, code=second_factor.code_for(key, at=time.time() - 30)
    )
    page = new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    def sign_in_with_password():
        page.goto("/account/sign-in/")
        page.fill("#id_username", user.email)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/account/sign-in/code/")

    sign_in_with_password()
    page.fill("#id_code", second_factor.code_for(key))
    page.click("main form:not([data-passkey]) button[type=submit]")
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.goto("/account/")
    assert not run_axe(page)
    page.fill("#passkey-name", "This laptop")
    page.click("text=Add a passkey")
    page.wait_for_selector("#passkeys")
    assert Passkey.objects.get(user=user).name == "This laptop"

    page.context.clear_cookies()
    sign_in_with_password()
    assert not run_axe(page)
    page.click("text=Use a passkey")
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.goto("/account/")
    assert "This laptop" in page.content()
    assert Passkey.objects.get(user=user).last_used_at is not None
