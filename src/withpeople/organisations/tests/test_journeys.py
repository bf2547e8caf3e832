"""Journeys through signing in, inviting, joining and switching organisation, as a person would."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from withpeople.organisations.models import Invitation, Membership, Role
from withpeople.testing.factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def sign_in(app, email, password=PASSWORD, status=None):
    form = _form_with_field(app.get("/account/sign-in/"), "username")
    form["username"] = email
    form["password"] = password
    return form.submit(status=status)


def _form_with_field(page, field):
    """The page's form with this field, leaving out the sign-out form in the navigation."""
    return next(
        f
        for f in page.forms.values()
        if field in f.fields and not (f.action or "").endswith("/account/sign-out/")
    )


def follow_all(response):
    while response.status_code in (301, 302, 303):
        response = response.follow()
    return response


def test_admin_invites_someone_who_joins_with_a_new_account(
    django_app, members, django_capture_on_commit_callbacks
):
    admin = members["admin"]
    page = follow_all(sign_in(django_app, admin.user.email))
    page = page.click("Members").click("Invite someone")
    form = _form_with_field(page, "email")
    form["email"] = "New.Person@Example.org"
    form["role"] = "partner"
    form["perspective"] = "carer"
    with django_capture_on_commit_callbacks(execute=True):
        page = form.submit().follow()
    assert "We have sent an invitation to new.person@example.org" in page
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[0].body).group(0)

    django_app.reset()
    page = django_app.get(link)
    form = _form_with_field(page, "name")
    form["name"] = "Nia"
    form["password1"] = "a long enough passphrase"
    form["password2"] = "a different passphrase"
    page = form.submit()
    assert "There is a problem" in page
    assert "The two passwords do not match" in page
    assert not Membership.objects.filter(user__email="new.person@example.org").exists()

    form = _form_with_field(page, "name")
    form["password1"] = "a long enough passphrase"
    form["password2"] = "a long enough passphrase"
    page = form.submit().follow()
    assert "You have joined Example Council" in page
    membership = Membership.objects.get(user__email="new.person@example.org")
    assert (membership.role, membership.perspective) == (Role.PARTNER, "carer")

    # The link works once.
    django_app.reset()
    page = django_app.get(link, status=410)
    assert "already been used" in page


def test_invitation_form_errors_save_nothing(django_app, members):
    sign_in(django_app, members["admin"].user.email)
    page = django_app.get("/o/example/members/invite/")
    form = _form_with_field(page, "email")
    form["email"] = "not an email"
    page = form.submit()
    assert page.status_code == 200
    assert page.html.title.text.startswith("Error:")
    summary = page.html.select_one(".govuk-error-summary")
    assert "Enter an email address in the correct format" in summary.text
    assert "Select a role" in summary.text
    assert summary.select_one("a[href='#id_role_0']")
    assert page.html.select_one("#id_email_error")
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_expired_invitation_says_what_to_do(django_app, members):
    from withpeople.organisations.services import invitation_create

    invitation, raw = invitation_create(
        organisation=members["admin"].organisation,
        email="late@example.org",
        role="staff",
        perspective="frontline_staff",
        invited_by=None,
        accept_url_for=lambda raw: raw,
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    page = django_app.get(f"/invitations/{raw}/", status=410)
    assert "has expired" in page
    assert "ask the person who invited you to send a new invitation" in page


def test_existing_user_signs_in_then_accepts(django_app, members, outsider):
    from withpeople.organisations.services import invitation_create

    _invitation, raw = invitation_create(
        organisation=members["admin"].organisation,
        email=outsider.user.email,
        role="staff",
        perspective="back_office_staff",
        invited_by=members["admin"].user,
        accept_url_for=lambda raw: raw,
    )
    page = django_app.get(f"/invitations/{raw}/")
    page = page.click("Sign in", index=1)
    form = _form_with_field(page, "username")
    form["username"] = outsider.user.email
    form["password"] = PASSWORD
    page = form.submit().follow()
    page = _form_with_field(page, "csrfmiddlewaretoken").submit().follow()
    assert "You have joined Example Council" in page
    # Now in two organisations: the switcher lists both.
    page = django_app.get("/organisations/")
    assert "Example Council" in page and "Elsewhere Trust" in page
    page = page.click("Elsewhere Trust")
    assert "You are working in" in page and "Elsewhere Trust" in page
    assert django_app.get("/").follow().request.path == "/o/elsewhere/"


def test_signed_in_as_someone_else_is_told_so(django_app, members):
    from withpeople.organisations.services import invitation_create

    _invitation, raw = invitation_create(
        organisation=members["admin"].organisation,
        email="someone@example.org",
        role="staff",
        perspective="frontline_staff",
        invited_by=None,
        accept_url_for=lambda raw: raw,
    )
    page = django_app.get(f"/invitations/{raw}/", user=members["staff"].user)
    assert "This invitation is for someone else" in page


def test_admin_changes_a_role_but_cannot_remove_the_last_admin(django_app, members):
    admin = members["admin"]
    staff = members["staff"]
    page = django_app.get(f"/o/example/members/{staff.pk}/", user=admin.user)
    form = _form_with_field(page, "role")
    form["role"] = "admin"
    form.submit().follow()
    staff.refresh_from_db()
    assert staff.role == Role.ADMIN

    # Demote staff back; then the admin cannot demote themselves as the only admin.
    form = _form_with_field(
        django_app.get(f"/o/example/members/{staff.pk}/", user=admin.user), "role"
    )
    form["role"] = "staff"
    form.submit()
    form = _form_with_field(
        django_app.get(f"/o/example/members/{admin.pk}/", user=admin.user), "role"
    )
    form["role"] = "partner"
    page = form.submit()
    assert "An organisation needs at least one admin" in page
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN

    page = django_app.get(f"/o/example/members/{admin.pk}/remove/", user=admin.user)
    page = _form_with_field(page, "csrfmiddlewaretoken").submit()
    assert "An organisation needs at least one admin" in page
    assert Membership.objects.filter(pk=admin.pk).exists()

    page = django_app.get(f"/o/example/members/{staff.pk}/remove/", user=admin.user)
    _form_with_field(page, "csrfmiddlewaretoken").submit().follow()
    assert not Membership.objects.filter(pk=staff.pk).exists()


def test_admin_cannot_touch_another_organisations_member(django_app, members, outsider):
    django_app.get(f"/o/example/members/{outsider.pk}/", user=members["admin"].user, status=404)
    django_app.get(f"/o/elsewhere/members/{members['staff'].pk}/", user=outsider.user, status=404)


def test_sign_in_with_wrong_password_then_cool_off(django_app, members, settings):
    email = members["staff"].user.email
    page = sign_in(django_app, email, "wrong password")
    assert "The email address or password is not right" in page
    assert page.html.select_one(".govuk-error-summary")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page = sign_in(django_app, email, "wrong password", status="*")
    page = sign_in(django_app, email, PASSWORD, status=429)
    assert "Too many attempts to sign in" in page
    # Another account from the same address is not locked: throttling is per email address.
    page = sign_in(django_app, members["partner"].user.email)
    assert page.status_code == 302


def test_cool_off_ends(django_app, members, settings):
    from axes.models import AccessAttempt

    email = members["staff"].user.email
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(django_app, email, "wrong password", status="*")
    assert "Too many attempts" in sign_in(django_app, email, PASSWORD, status=429)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1))
    assert sign_in(django_app, email, PASSWORD).status_code == 302


def test_forgotten_password_by_email_link(django_app, members):
    user = members["partner"].user
    page = django_app.get("/account/password/reset/")
    form = _form_with_field(page, "email")
    form["email"] = ""
    assert "Enter your email address" in form.submit()
    form["email"] = user.email
    page = form.submit().follow()
    assert "Check your email" in page
    link = re.search(r"https?://\S+/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    page = django_app.get(link).follow()
    form = _form_with_field(page, "new_password1")
    form["new_password1"] = "brand new passphrase"
    form["new_password2"] = "brand new passphrase"
    page = form.submit().follow()
    assert "Your password has been changed" in page
    assert sign_in(django_app, user.email, "brand new passphrase").status_code == 302
    # The link worked once.
    django_app.reset()
    assert "This link does not work any more" in follow_all(django_app.get(link))


def test_sign_out_is_a_post(django_app, members):
    page = follow_all(sign_in(django_app, members["staff"].user.email))
    form = next(f for f in page.forms.values() if f.action.endswith("/account/sign-out/"))
    form.submit()
    assert django_app.get("/o/example/").status_code == 302


def test_person_in_no_organisation_is_told_how_to_join(django_app):
    user = MembershipFactory(organisation=OrganisationFactory()).user
    user.memberships.all().delete()
    page = django_app.get("/organisations/", user=user)
    assert "You do not belong to any organisation yet" in page
