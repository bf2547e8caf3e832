"""Single sign-on through a real OpenID Connect provider on 127.0.0.1 (`oidc-provider`, started
once for this module): who is let in, and who is not."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent
from withpeople.domain import single_sign_on as rules
from withpeople.organisations.models import Invitation, Membership, Role
from withpeople.organisations.services import invitation_create
from withpeople.security import services
from withpeople.security.models import SingleSignOn
from withpeople.security.sealing import seal, unseal
from withpeople.testing.factories import MembershipFactory, OrganisationFactory, UserFactory
from withpeople.testing.oidc_provider import register_client, running_provider, sign_in_at_provider

CALLBACK = "http://testserver/account/sign-in/organisation/callback/"
SIGNED_IN = "_auth_user_id"


@pytest.fixture(scope="module")
def provider():
    with running_provider() as issuer:
        client_id, secret = register_client(issuer, CALLBACK)
        yield issuer, client_id, secret


@pytest.fixture
def organisation(db, provider):
    issuer, client_id, secret = provider
    organisation = OrganisationFactory(name="North Trust")
    SingleSignOn.objects.create(
        organisation=organisation,
        issuer=issuer,
        client_id=client_id,
        client_secret_sealed=seal(secret),
        email_domains=["north.example"],
        enabled=True,
    )
    return organisation


def _invite(organisation, email):
    invitation, _raw = invitation_create(
        organisation=organisation,
        email=email,
        role=Role.STAFF,
        perspective="other_staff",
        invited_by=None,
        accept_url_for=lambda raw: f"http://testserver/invitations/{raw}/",
    )
    return invitation


def _start(client, email):
    response = client.post("/account/sign-in/organisation/", {"email": email})
    assert response.status_code == 302, response.content
    return response["Location"]


def _sign_in(client, email, login=None):
    authorize = _start(client, email)
    callback = sign_in_at_provider(authorize, login or email)
    return client.get(callback.replace("http://testserver", ""))


def test_a_member_signs_in(client, organisation):
    user = MembershipFactory(organisation=organisation, user__email="ann@north.example").user
    response = _sign_in(client, "ann@north.example")
    assert response.status_code == 302
    assert client.session[SIGNED_IN] == str(user.pk)


def test_an_invitation_is_accepted_and_the_account_made(client, organisation):
    invitation = _invite(organisation, "bo@north.example")
    response = _sign_in(client, "bo@north.example")
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=organisation, user__email="bo@north.example")
    assert membership.role == Role.STAFF
    assert not membership.user.has_usable_password()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None
    assert AuditEvent.objects.filter(action=AuditEventKind.JOINED_BY_SINGLE_SIGN_ON).exists()


def test_nobody_joins_by_signing_in_alone(client, organisation):
    UserFactory(email="cy@north.example")  # an account, but not of this organisation
    for email in ("cy@north.example", "dee@north.example"):
        response = _sign_in(client, email)
        assert response.status_code == 403
        assert b"You need an invitation" in response.content
        assert SIGNED_IN not in client.session
    assert not Membership.objects.filter(organisation=organisation).exists()


def test_an_unverified_email_is_refused(client, organisation):
    _invite(organisation, "ed@north.example")
    response = _sign_in(client, "ed@north.example", login="unverified:ed@north.example")
    assert response.status_code == 403
    assert SIGNED_IN not in client.session
    assert not Membership.objects.filter(organisation=organisation).exists()


def test_an_address_at_another_domain_is_refused(client, organisation):
    _invite(organisation, "fay@south.example")
    response = _sign_in(client, "fay@north.example", login="fay@south.example")
    assert response.status_code == 403
    assert not Membership.objects.filter(organisation=organisation).exists()


def test_a_tampered_state_is_refused(client, organisation):
    MembershipFactory(organisation=organisation, user__email="gus@north.example")
    callback = sign_in_at_provider(_start(client, "gus@north.example"), "gus@north.example")
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    query["state"] = ["not-the-state"]
    tampered = urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
    response = client.get(tampered.replace("http://testserver", ""))
    assert response.status_code == 400
    assert SIGNED_IN not in client.session


def test_a_nonce_that_does_not_match_is_refused(client, organisation):
    MembershipFactory(organisation=organisation, user__email="hal@north.example")
    callback = sign_in_at_provider(_start(client, "hal@north.example"), "hal@north.example")
    session = client.session
    for key, value in session.items():
        if key.startswith("_state_sso"):
            value["data"]["nonce"] = "another-nonce"
            session[key] = value
    session.save()
    response = client.get(callback.replace("http://testserver", ""))
    assert response.status_code == 400
    assert SIGNED_IN not in client.session


def test_unknown_domain_is_told_to_use_a_password(client, organisation):
    response = client.post("/account/sign-in/organisation/", {"email": "x@elsewhere.example"})
    assert response.status_code == 200
    assert b"No organisation signs in people" in response.content


def test_provider_second_factor_rules():
    assert rules.provider_asked_for_second_factor({"amr": ["pwd", "mfa"]})
    assert not rules.provider_asked_for_second_factor({"amr": ["pwd"]})
    assert not rules.provider_asked_for_second_factor({})
    assert rules.email_is_verified({"email": "a@b.c", "xms_edov": True}, trust_provider_email=False)
    assert not rules.email_is_verified({"email": "a@b.c"}, trust_provider_email=False)
    assert rules.email_is_verified({"email": "a@b.c"}, trust_provider_email=True)
    assert rules.parse_domains("NHS.net, @x.nhs.uk bad_domain") == (
        ["nhs.net", "x.nhs.uk"],
        ["bad_domain"],
    )


def test_the_secret_is_sealed():
    sealed = seal("s3cret")
    assert "s3cret" not in sealed
    assert unseal(sealed) == "s3cret"
    assert unseal("garbage") is None


# --- the admin page -------------------------------------------------------------------------


def test_an_admin_saves_single_sign_on_after_discovery(client, db, provider):
    issuer, client_id, _secret = provider
    admin = MembershipFactory(role=Role.ADMIN)
    client.force_login(admin.user)
    url = f"/o/{admin.organisation.slug}/sign-in-security/single-sign-on/"
    data = {
        "issuer": "http://127.0.0.1:1/",
        "client_id": client_id,
        "client_secret": "topsecret",
        "email_domains": "north.example",
        "enabled": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert b"could not read an OpenID Connect discovery document" in response.content
    assert not SingleSignOn.objects.exists()
    response = client.post(url, data | {"issuer": issuer})
    assert response.status_code == 302
    config = SingleSignOn.objects.get(organisation=admin.organisation)
    assert unseal(config.client_secret_sealed) == "topsecret"
    page = client.get(url)
    assert b"topsecret" not in page.content
    assert AuditEvent.objects.filter(action=AuditEventKind.CHANGED_SINGLE_SIGN_ON).count() == 1


def test_only_the_organisations_admins_configure_it(client, db):
    admin = MembershipFactory(role=Role.ADMIN)
    staff = MembershipFactory(role=Role.STAFF, organisation=admin.organisation)
    outsider = MembershipFactory(role=Role.ADMIN)
    url = f"/o/{admin.organisation.slug}/sign-in-security/single-sign-on/"
    client.force_login(outsider.user)
    assert client.get(url).status_code == 404
    client.force_login(staff.user)
    assert client.post(url, {"issuer": "https://x.example"}).status_code == 403
    assert not SingleSignOn.objects.exists()


def test_matching_keeps_to_the_organisation(db):
    config = SingleSignOn(
        organisation=OrganisationFactory(), email_domains=["a.example"], issuer="https://i"
    )
    match = services.single_sign_on_match(
        config=config, claims={"email": "z@a.example", "email_verified": True, "sub": "z"}
    )
    assert match.refusal == services.Refusal.NEEDS_INVITATION


def _saved_config(**extra):
    organisation = OrganisationFactory(name="South Trust")
    return SingleSignOn.objects.create(
        organisation=organisation,
        issuer="https://login.south.example/tenant/v2.0",
        client_id="south-app",
        client_secret_sealed=seal("secret"),
        email_domains=["south.example"],
        enabled=True,
        **extra,
    )


def _claims(email, sub):
    return {"email": email, "email_verified": True, "sub": sub}


def test_an_address_passed_to_someone_new_does_not_open_the_earlier_account(db):
    """The first sign-in ties the account to its subject at the provider; a newcomer given the
    leaver's address has another subject, and is refused."""
    config = _saved_config()
    member = MembershipFactory(
        organisation=config.organisation, user=UserFactory(email="sam@south.example")
    )
    first = services.single_sign_on_match(config=config, claims=_claims("sam@south.example", "s1"))
    assert first.user == member.user and first.refusal is None
    again = services.single_sign_on_match(config=config, claims=_claims("sam@south.example", "s1"))
    assert again.user == member.user
    newcomer = services.single_sign_on_match(
        config=config, claims=_claims("sam@south.example", "s2")
    )
    assert newcomer.user is None and newcomer.refusal == services.Refusal.OTHER_PERSON
    # An ID token without a subject is not trusted at all.
    bare = services.single_sign_on_match(
        config=config, claims={"email": "sam@south.example", "email_verified": True}
    )
    assert bare.refusal == services.Refusal.OTHER_PERSON


def test_the_same_person_keeps_their_account_when_their_address_changes(db):
    config = _saved_config()
    member = MembershipFactory(
        organisation=config.organisation, user=UserFactory(email="jo@south.example")
    )
    services.single_sign_on_match(config=config, claims=_claims("jo@south.example", "j1"))
    renamed = services.single_sign_on_match(
        config=config, claims=_claims("jo.smith@south.example", "j1")
    )
    assert renamed.user == member.user and renamed.refusal is None


def test_the_link_to_the_provider_is_downloaded_and_goes_when_the_person_leaves(db):
    from withpeople.security import personal_data as sso_data
    from withpeople.security.models import SignOnIdentity

    config = _saved_config()
    member = MembershipFactory(
        organisation=config.organisation, user=UserFactory(email="ali@south.example")
    )
    services.single_sign_on_match(config=config, claims=_claims("ali@south.example", "a1"))
    exported = sso_data.export_membership(member, about_someone_else=False)
    assert exported["single_sign_on"][0]["provider"] == config.issuer
    assert "a1" not in str(exported)
    assert sso_data.erase_membership(member) == {"identities at the organisation's provider": 1}
    assert not SignOnIdentity.objects.exists()


def test_the_providers_second_factor_counts_only_where_accepted(client, organisation):
    from withpeople.organisations.models import SecondFactorRule

    organisation.second_factor_required_for = SecondFactorRule.STAFF_AND_ADMINS
    organisation.save()
    MembershipFactory(organisation=organisation, user__email="ida@north.example")
    dashboard = f"/o/{organisation.slug}/"
    # Not accepted: signed in, then sent to set up an authenticator app.
    _sign_in(client, "ida@north.example", login="mfa:ida@north.example")
    assert "/second-factor/set-up/" in client.get(dashboard)["Location"]
    client.logout()
    SingleSignOn.objects.filter(organisation=organisation).update(trust_provider_second_factor=True)
    # Accepted, but the provider asked for a password alone: still sent to set one up.
    _sign_in(client, "ida@north.example")
    assert "/second-factor/set-up/" in client.get(dashboard)["Location"]
    client.logout()
    # Accepted, and the provider asked for a second factor: in.
    _sign_in(client, "ida@north.example", login="mfa:ida@north.example")
    assert client.get(dashboard).status_code == 200


def test_someone_with_an_app_gives_its_code_after_the_provider(client, organisation):
    from withpeople.security.tests.test_second_factor import with_app

    user = MembershipFactory(organisation=organisation, user__email="jo@north.example").user
    with_app(user)
    response = _sign_in(client, "jo@north.example")
    assert response["Location"] == "/account/sign-in/code/"
    assert SIGNED_IN not in client.session
