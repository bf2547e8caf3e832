"""Accepting an invitation with a new account is all or nothing, and happens once."""

import pytest
from django.core.exceptions import ValidationError
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
    from django.test import Client

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
