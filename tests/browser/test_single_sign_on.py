"""Single sign-on in the real browser, through a real OpenID Connect provider on 127.0.0.1: an
admin sets it up, then someone invited signs in with their work account and joins. The new
pages pass axe."""

from __future__ import annotations

import pytest

from tests.browser.conftest import run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def issuer():
    from withpeople.testing.oidc_provider import running_provider

    with running_provider() as issuer:
        yield issuer


def test_an_invited_person_signs_in_with_their_work_account(new_page, live_server, issuer):
    from withpeople.organisations.models import Membership, Role
    from withpeople.organisations.services import invitation_create
    from withpeople.testing.factories import PASSWORD, MembershipFactory
    from withpeople.testing.oidc_provider import register_client

    admin = MembershipFactory(role=Role.ADMIN, user__email="ada@north.example")
    organisation = admin.organisation
    client_id, secret = register_client(
        issuer, live_server.url + "/account/sign-in/organisation/callback/"
    )

    page = new_page()
    sign_in(page, admin.user.email, PASSWORD)
    page.goto(f"/o/{organisation.slug}/sign-in-security/")
    page.click("text=Set up single sign-on")
    assert not run_axe(page)
    page.fill("#id_issuer", issuer)
    page.fill("#id_client_id", client_id)
    page.fill("#id_client_secret", secret)
    page.fill("#id_email_domains", "north.example")
    page.check("#id_enabled")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Single sign-on has been saved.")

    invitation_create(
        organisation=organisation,
        email="bea@north.example",
        role=Role.STAFF,
        perspective="other_staff",
        invited_by=admin.user,
        accept_url_for=lambda raw: f"{live_server.url}/invitations/{raw}/",
    )
    page.context.clear_cookies()
    page.goto("/account/sign-in/")
    page.click("text=Sign in with your organisation's account")
    assert not run_axe(page)
    page.fill("#id_email", "bea@north.example")
    page.click("main button[type=submit]")
    # The provider's own sign-in page.
    page.wait_for_url(issuer + "/**")
    page.fill("input[name=login]", "bea@north.example")
    page.fill("input[name=password]", "anything")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/o/{organisation.slug}/")
    assert "You have joined" in page.content()
    assert Membership.objects.filter(
        organisation=organisation, user__email="bea@north.example"
    ).exists()

    # Someone with no invitation is told they need one.
    page.context.clear_cookies()
    page.goto("/account/sign-in/organisation/")
    page.fill("#id_email", "cal@north.example")
    page.click("main button[type=submit]")
    page.wait_for_url(issuer + "/**")
    page.fill("input[name=login]", "cal@north.example")
    page.fill("input[name=password]", "anything")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('You need an invitation')")
    assert not run_axe(page)
