"""Accepting an invitation with a new account is all or nothing, and happens once."""

import socket

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from withpeople.accounts.models import User
from withpeople.organisations import services
from withpeople.organisations.models import Invitation, Membership

pytestmark = pytest.mark.django_db

NEW_EMAIL = "new.person@example.org"


@pytest.fixture
def invitation(organisation):
    invitation, raw = services.invitation_create(
        organisation=organisation,
        email=NEW_EMAIL,
        role="partner",
        perspective="carer",
        invited_by=None,
        accept_url_for=lambda raw: raw,
    )
    invitation.raw_token = raw
    return invitation


def _accept(invitation):
    return services.invitation_accept_with_new_account(
        invitation=invitation, name="Nia", password="a long enough passphrase"
    )


def test_a_second_send_of_the_form_makes_no_second_account(invitation):
    # Both sends loaded the invitation while it was still usable.
    first, second = invitation, Invitation.objects.get(pk=invitation.pk)
    membership = _accept(first)
    assert membership.user.email == NEW_EMAIL
    with pytest.raises(ValidationError, match="can no longer be used"):
        _accept(second)
    assert User.objects.filter(email=NEW_EMAIL).count() == 1
    assert Membership.objects.filter(user__email=NEW_EMAIL).count() == 1


def test_no_account_is_made_if_the_invitation_was_cancelled_meanwhile(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(cancelled_at=timezone.now())
    with pytest.raises(ValidationError):
        _accept(invitation)
    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_no_second_account_for_an_address_that_has_one(invitation):
    User.objects.create_user(email="New.Person@example.org", name="Nia", password=None)
    with pytest.raises(ValidationError, match="already an account"):
        _accept(invitation)
    assert User.objects.filter(email__iexact=NEW_EMAIL).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def _new_account_form(app, invitation):
    page = app.get(f"/invitations/{invitation.raw_token}/")
    form = next(f for f in page.forms.values() if "password1" in f.fields)
    form["name"] = "Nia"
    form["password1"] = "a long enough passphrase"
    form["password2"] = "a long enough passphrase"
    return form


def test_sending_the_new_account_form_twice(invitation):
    url = f"/invitations/{invitation.raw_token}/"
    data = {"name": "Nia", "password1": "a long passphrase", "password2": "a long passphrase"}
    # A double click: both requests carry the cookies from before the first one's answer.
    assert Client().post(url, data).status_code == 302
    second = Client().post(url, data)
    assert second.status_code == 410
    assert "This invitation has already been used" in second.content.decode()
    assert User.objects.filter(email=NEW_EMAIL).count() == 1
    assert Membership.objects.filter(user__email=NEW_EMAIL).count() == 1


def test_the_form_sent_from_two_tabs_after_the_invitation_was_cancelled(django_app, invitation):
    form = _new_account_form(django_app, invitation)
    services.invitation_cancel(invitation=invitation)
    page = form.submit(status=410)
    assert "This invitation was cancelled" in page
    assert not User.objects.filter(email=NEW_EMAIL).exists()


# The invitation email cannot be sent: a real SMTP connection to a port nobody listens on.


@pytest.fixture
def mail_server_down(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 2


def _invite(app, admin, email="late.reader@example.org"):
    page = app.get("/o/example/members/invite/", user=admin.user)
    form = next(f for f in page.forms.values() if "email" in f.fields)
    form["email"] = email
    form["role"] = "staff"
    form["perspective"] = "frontline_staff"
    return form


# Real commits, as in production: the email is sent once the invitation is committed.
@pytest.mark.django_db(transaction=True)
def test_a_failed_email_keeps_the_invitation_and_gives_the_link(
    django_app, members, mail_server_down, settings, caplog
):
    form = _invite(django_app, members["admin"])
    page = form.submit()
    assert page.status_code == 200
    assert "The invitation email could not be sent" in page
    assert "We saved the invitation to late.reader@example.org" in page
    invitation = Invitation.objects.get(email="late.reader@example.org")
    assert invitation.accepted_at is None and invitation.cancelled_at is None
    assert mail.outbox == []
    failure = next(r for r in caplog.records if r.name == "withpeople.organisations.services")
    assert failure.levelname == "ERROR" and "late.reader" not in failure.getMessage()

    # The link on the page works.
    link = page.html.select_one("#invitation-link").text.strip()
    assert 'id="id_password1"' in Client().get(link).content.decode()

    # Trying again, once the mail server is back, replaces it with a new invitation.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry = next(f for f in page.forms.values() if f.action.endswith("/members/invite/"))
    page = retry.submit(user=members["admin"].user).follow()
    assert "We have sent an invitation to late.reader@example.org" in page
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None
    assert Client().get(link).status_code == 410


@pytest.mark.django_db(transaction=True)
def test_org_create_says_when_the_email_could_not_be_sent(mail_server_down, capsys):
    call_command("org", "create", "north-trust", "--name", "North Trust", "--admin", "a@north.org")
    out, err = capsys.readouterr()
    assert "Their link: http" in out
    assert "The invitation email could not be sent" in err
    assert Invitation.objects.filter(email="a@north.org", organisation__slug="north-trust").exists()
