"""Journeys through a second factor: setting it up, signing in with it, an organisation that
requires it, and an admin resetting a lost one."""

from __future__ import annotations

import re
import time

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from withpeople.accounts import second_factor
from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent
from withpeople.organisations.models import Organisation, Role, SecondFactorRule
from withpeople.organisations.services import organisation_create
from withpeople.testing.factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SIGNED_IN = "_auth_user_id"


def _form_with_field(page, field):
    """The page's form with this field, leaving out the sign-out form in the navigation."""
    return next(
        f
        for f in page.forms.values()
        if field in f.fields and not (f.action or "").endswith("/account/sign-out/")
    )


def sign_in_with_password(app, email, next_url="", status=None):
    page = app.get("/account/sign-in/" + (f"?next={next_url}" if next_url else ""))
    form = _form_with_field(page, "username")
    form["username"] = email
    form["password"] = PASSWORD
    return form.submit(status=status)


def give_code(app, code, status=None):
    form = _form_with_field(app.get("/account/sign-in/code/"), "code")
    form["code"] = code
    return form.submit(status=status)


def with_app(user) -> tuple[str, list[str]]:
    """Give `user` an authenticator app, as the set-up page does: its key and recovery codes."""
    key = second_factor.new_key()
    # A code from an earlier time step, so that the current code is still unused.
    codes = second_factor.second_factor_set_up(
        user=user, key=key, code=second_factor.code_for(key, at=time.time() - 30)
    )
    assert codes is not None
    return key, codes


def stored_key(user) -> str:
    return TOTPDevice.objects.get(user=user).key


def is_signed_in(app) -> bool:
    return SIGNED_IN in app.session


# --- setting up ---------------------------------------------------------------------------


def test_setting_up_an_app_from_the_account_page(django_app, members):
    user = members["partner"].user
    app = django_app
    app.set_user(user)
    account = app.get("/account/")
    setup = account.click("Set up an authenticator app")
    # The key is shown to type, and as a QR code; nothing is saved until a code proves it.
    typed_key = setup.html.find(id="key").text.replace(" ", "")
    assert setup.html.find("svg") is not None
    assert not TOTPDevice.objects.filter(user=user).exists()
    key = app.session["second_factor_setup_key"]
    assert second_factor.key_for_typing(key).replace(" ", "") == typed_key

    form = _form_with_field(setup, "code")
    form["code"] = "000000" if second_factor.code_for(key) != "000000" else "111111"
    refused = form.submit()
    assert "The code is not right" in refused.text
    assert not TOTPDevice.objects.filter(user=user).exists()

    form = _form_with_field(refused, "code")
    form["code"] = second_factor.code_for(key)
    codes_page = form.submit().follow()
    shown = [li.text for li in codes_page.html.find(id="recovery-codes").find_all("li")]
    assert len(shown) == second_factor.RECOVERY_CODE_COUNT
    assert sorted(shown) == sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    download = codes_page.click("Download the codes as a text file")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert all(code in download.text for code in shown)

    # Once kept, the codes are not shown again.
    account = _form_with_field(codes_page, "csrfmiddlewaretoken").submit().follow()
    assert "10 recovery codes left" in account.text
    assert app.get("/account/second-factor/recovery-codes/").status_code == 302
    assert shown[0] not in app.get("/account/").text


def test_new_recovery_codes_replace_the_old_ones(django_app, members):
    user = members["partner"].user
    _key, old_codes = with_app(user)
    django_app.set_user(user)
    page = django_app.get("/account/").click("Make new recovery codes")
    new_page = _form_with_field(page, "csrfmiddlewaretoken").submit().follow()
    new_codes = [li.text for li in new_page.html.find(id="recovery-codes").find_all("li")]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert not second_factor.second_factor_verify(user=user, code=old_codes[0])


def test_removing_the_second_factor(django_app, members):
    user = members["partner"].user
    with_app(user)
    django_app.set_user(user)
    page = django_app.get("/account/").click("Remove your second factor")
    _form_with_field(page, "csrfmiddlewaretoken").submit().follow()
    assert not second_factor.has_second_factor(user)
    assert not StaticToken.objects.filter(device__user=user).exists()


# --- signing in ---------------------------------------------------------------------------


def test_signing_in_with_a_password_and_a_code_from_the_app(django_app, members):
    user = members["staff"].user
    with_app(user)
    app = django_app
    asked = sign_in_with_password(app, user.email, next_url="/account/")
    assert asked["Location"].endswith("/account/sign-in/code/")
    # The password alone does not sign in.
    assert not is_signed_in(app)
    assert app.get("/account/").status_code == 302

    code = second_factor.code_for(stored_key(user))
    response = give_code(app, code)
    assert response["Location"] == "/account/"
    assert is_signed_in(app) and int(app.session[SIGNED_IN]) == user.pk


def test_a_code_cannot_be_used_twice(django_app, members):
    user = members["staff"].user
    with_app(user)
    code = second_factor.code_for(stored_key(user))
    sign_in_with_password(django_app, user.email)
    give_code(django_app, code)
    assert is_signed_in(django_app)
    django_app.reset()
    sign_in_with_password(django_app, user.email)
    page = give_code(django_app, code)
    assert "The code is not right" in page.text
    assert not is_signed_in(django_app)


def test_a_wrong_code_is_refused(django_app, members):
    user = members["staff"].user
    key, codes = with_app(user)
    sign_in_with_password(django_app, user.email)
    right = second_factor.code_for(key)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    page = give_code(django_app, wrong)
    assert page.status_code == 200
    assert "There is a problem" in page.text and "The code is not right" in page.text
    assert not is_signed_in(django_app)
    page = give_code(django_app, "not-a-recovery-code")
    assert not is_signed_in(django_app)
    assert StaticToken.objects.filter(device__user=user).count() == len(codes)


def test_signing_in_with_a_recovery_code_uses_it_up(django_app, members):
    user = members["staff"].user
    _key, codes = with_app(user)
    sign_in_with_password(django_app, user.email)
    # Typed with capitals and a space, as people copy them.
    give_code(django_app, codes[0].upper()[:5] + " " + codes[0].upper()[5:])
    assert is_signed_in(django_app)
    assert StaticToken.objects.filter(device__user=user).count() == len(codes) - 1

    django_app.reset()
    sign_in_with_password(django_app, user.email)
    page = give_code(django_app, codes[0])
    assert "The code is not right" in page.text
    assert not is_signed_in(django_app)


def test_wrong_codes_are_throttled_like_wrong_passwords(django_app, members, settings):
    user = members["staff"].user
    with_app(user)
    sign_in_with_password(django_app, user.email)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = give_code(django_app, f"{attempt:06d}x", status="*")
    assert response.status_code == 429
    # Locked out: even the right code, and the right password, are refused for now.
    form = django_app.get("/account/sign-in/code/", status="*")
    assert form.status_code == 429
    assert sign_in_with_password(django_app, user.email, status="*").status_code == 429
    assert not is_signed_in(django_app)


def test_the_code_page_needs_a_password_first(django_app, members):
    with_app(members["staff"].user)
    assert django_app.get("/account/sign-in/code/")["Location"] == "/account/sign-in/"


def test_the_password_step_is_forgotten_after_a_few_minutes(django_app, members, settings):
    user = members["staff"].user
    key, _codes = with_app(user)
    sign_in_with_password(django_app, user.email)
    page = django_app.get("/account/sign-in/code/")
    settings.SECOND_FACTOR_TIMEOUT_SECONDS = -1
    form = _form_with_field(page, "code")
    form["code"] = second_factor.code_for(key)
    assert form.submit()["Location"] == "/account/sign-in/"
    assert not is_signed_in(django_app)


def test_without_a_second_factor_a_password_is_enough(django_app, members):
    user = members["staff"].user
    sign_in_with_password(django_app, user.email)
    assert is_signed_in(django_app)


# --- an organisation that requires a second factor ------------------------------------------


def test_a_new_organisation_requires_a_second_factor_of_its_admins():
    organisation = organisation_create(slug="new-council", name="New Council")
    assert organisation.second_factor_required_for == SecondFactorRule.ADMINS
    assert organisation.requires_second_factor(Role.ADMIN)
    assert not organisation.requires_second_factor(Role.STAFF)
    assert not organisation.requires_second_factor(Role.PARTNER)


def test_the_demo_offers_a_second_factor_without_requiring_it(django_app):
    from django.core.management import call_command

    call_command("demo", "--force", "--password", "demo-pass-123", verbosity=0)
    demo = Organisation.objects.get(slug="example-council")
    assert demo.second_factor_required_for == SecondFactorRule.NOBODY
    # The printed sign-in works with a password alone, and the admin finds where to turn it on.
    page = _form_with_field(django_app.get("/account/sign-in/"), "username")
    page["username"], page["password"] = "admin@example.org", "demo-pass-123"
    page.submit()
    assert is_signed_in(django_app)
    members = django_app.get("/o/example-council/members/")
    assert "/o/example-council/sign-in-security/" in members.text


def test_staff_without_a_second_factor_are_taken_to_set_one_up(django_app, members):
    organisation = members["staff"].organisation
    organisation.second_factor_required_for = SecondFactorRule.STAFF_AND_ADMINS
    organisation.save()
    staff = members["staff"].user
    dashboard = f"/o/{organisation.slug}/"
    sign_in_with_password(django_app, staff.email)
    assert is_signed_in(django_app)
    # Every page of the organisation sends them to set one up first, the dashboard and a list.
    for url in (dashboard, f"/o/{organisation.slug}/members/"):
        response = django_app.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/second-factor/set-up/?")
    setup = django_app.get(dashboard).follow()
    assert "Your organisation asks people in your role" in setup.text

    key = django_app.session["second_factor_setup_key"]
    form = _form_with_field(setup, "code")
    form["code"] = second_factor.code_for(key)
    codes_page = form.submit().follow()
    # Once their codes are kept, they are back where they were going.
    back = _form_with_field(codes_page, "csrfmiddlewaretoken").submit()
    assert back["Location"] == dashboard
    assert django_app.get(dashboard).status_code == 200


def test_partners_are_not_required_but_may_opt_in(django_app, members):
    organisation = members["partner"].organisation
    organisation.second_factor_required_for = SecondFactorRule.STAFF_AND_ADMINS
    organisation.save()
    django_app.set_user(members["partner"].user)
    assert django_app.get(f"/o/{organisation.slug}/").status_code == 200
    assert django_app.get("/account/second-factor/set-up/").status_code == 200


def test_admins_set_who_must_use_a_second_factor(django_app, members):
    organisation = members["admin"].organisation
    django_app.set_user(members["admin"].user)
    page = django_app.get(f"/o/{organisation.slug}/members/").click("Sign-in security")
    form = _form_with_field(page, "rule")
    form["rule"] = SecondFactorRule.STAFF_AND_ADMINS
    form.submit().follow()
    organisation.refresh_from_db()
    assert organisation.second_factor_required_for == SecondFactorRule.STAFF_AND_ADMINS
    event = AuditEvent.objects.get(action=AuditEventKind.CHANGED_SECOND_FACTOR_RULE)
    assert event.organisation == organisation and event.actor == members["admin"].user


# --- losing a device -----------------------------------------------------------------------


def test_an_admin_resets_a_lost_second_factor(django_app, members):
    organisation = members["admin"].organisation
    organisation.second_factor_required_for = SecondFactorRule.STAFF_AND_ADMINS
    organisation.save()
    admin, staff = members["admin"], members["staff"]
    with_app(admin.user)
    with_app(staff.user)
    staff.user.passkeys.create(name="phone", credential_id="AAAA", public_key=b"k")

    django_app.set_user(admin.user)
    page = django_app.get(f"/o/{organisation.slug}/sign-in-security/")
    reset_link = f"/o/{organisation.slug}/sign-in-security/members/{staff.pk}/reset/"
    assert reset_link in page.text
    confirm = django_app.get(reset_link)
    done = _form_with_field(confirm, "csrfmiddlewaretoken").submit().follow()
    assert "Tell them to sign in with their password and set up" in done.text
    assert not second_factor.has_second_factor(staff.user)
    assert not StaticToken.objects.filter(device__user=staff.user).exists()
    assert not staff.user.passkeys.exists()
    event = AuditEvent.objects.get(action=AuditEventKind.RESET_SECOND_FACTOR)
    assert (event.organisation, event.actor) == (organisation, admin.user)
    assert event.subject_id == str(staff.pk)

    # They sign in with their password and are taken to set up their app again.
    django_app.reset()
    django_app.set_user(None)
    sign_in_with_password(django_app, staff.user.email)
    assert is_signed_in(django_app)
    response = django_app.get(f"/o/{organisation.slug}/")
    assert response["Location"].startswith("/account/second-factor/set-up/")


def test_another_organisations_admin_cannot_reset(django_app, members):
    staff = members["staff"]
    with_app(staff.user)
    other = OrganisationFactory()
    other_admin = MembershipFactory(organisation=other, role=Role.ADMIN)
    django_app.set_user(other_admin.user)
    for slug in (other.slug, staff.organisation.slug):
        url = f"/o/{slug}/sign-in-security/members/{staff.pk}/reset/"
        assert django_app.get(url, status="*").status_code == 404
    csrf = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', django_app.get("/account/").text
    ).group(1)
    response = django_app.post(
        f"/o/{other.slug}/sign-in-security/members/{staff.pk}/reset/",
        {"csrfmiddlewaretoken": csrf},
        status="*",
    )
    assert response.status_code == 404
    assert second_factor.has_second_factor(staff.user)
    assert not AuditEvent.objects.filter(action=AuditEventKind.RESET_SECOND_FACTOR).exists()


def test_staff_cannot_reset_a_colleagues_second_factor(django_app, members):
    admin, staff = members["admin"], members["staff"]
    with_app(admin.user)
    django_app.set_user(staff.user)
    url = f"/o/{staff.organisation.slug}/sign-in-security/members/{admin.pk}/reset/"
    assert django_app.get(url, status="*").status_code == 403
    assert second_factor.has_second_factor(admin.user)


def test_the_members_list_runs_the_same_queries_however_many_members(client, members):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    organisation = members["admin"].organisation
    client.force_login(members["admin"].user)
    url = f"/o/{organisation.slug}/sign-in-security/"
    client.get(url)  # the first page of a session saves the session: count the next one
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        with_app(MembershipFactory(organisation=organisation, role=Role.STAFF).user)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)


def test_the_api_refuses_someone_required_who_has_no_second_factor(client, members):
    from withpeople.accounts.services import api_token_create

    admin = members["admin"]
    _token, raw = api_token_create(user=admin.user, name="script")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/organisations", **headers).status_code == 200
    organisation = admin.organisation
    organisation.second_factor_required_for = SecondFactorRule.ADMINS
    organisation.save()
    # A token made before the rule does not get round it, nor does a signed-in session.
    assert client.get("/api/v1/organisations", **headers).status_code == 401
    client.force_login(admin.user)
    assert client.get("/api/v1/organisations").status_code == 401
    with_app(admin.user)
    assert client.get("/api/v1/organisations", **headers).status_code == 200


def test_a_passkey_answer_that_does_not_verify_is_refused_and_counted(client, members):
    from axes.models import AccessAttempt

    from withpeople.accounts.models import Passkey

    user = members["staff"].user
    with_app(user)
    client.post("/account/sign-in/", {"username": user.email, "password": PASSWORD})
    # No passkey yet: nothing to ask the browser for.
    assert client.post("/account/sign-in/passkey/options/").status_code == 400
    Passkey.objects.create(user=user, name="laptop", credential_id="AAAA", public_key=b"k")
    options = client.post("/account/sign-in/passkey/options/").json()
    assert options["allowCredentials"][0]["id"] == "AAAA" and options["challenge"]
    forged = {"credential": {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}}
    response = client.post("/account/sign-in/passkey/", forged, content_type="application/json")
    assert response.status_code == 400
    assert SIGNED_IN not in client.session
    assert AccessAttempt.objects.get(username=user.email).failures_since_start == 1
    # The challenge was used up, so the same answer cannot be tried against it again.
    assert "passkey_challenge" not in client.session


def test_a_persons_data_says_they_have_a_second_factor_but_holds_no_key_or_code(members):
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from withpeople.core import personal_data

    membership = members["staff"]
    key, codes = with_app(membership.user)
    membership.user.passkeys.create(name="phone", credential_id="AAAA", public_key=b"k")
    data = personal_data.export_membership(membership, about_someone_else=False)
    assert data["account"]["second_factor"]["passkeys"][0]["name"] == "phone"
    text = json.dumps(data, cls=DjangoJSONEncoder)
    assert key not in text and second_factor.key_for_typing(key) not in text
    assert not any(code in text for code in codes)
