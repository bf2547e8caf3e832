"""Organisations' short names, and the rule that an organisation always keeps an admin."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.forms import modelform_factory

from withpeople.organisations import services
from withpeople.organisations.models import Membership, Organisation, Role
from withpeople.testing.factories import MembershipFactory

pytestmark = pytest.mark.django_db

OrganisationForm = modelform_factory(Organisation, fields=["slug", "name"])
LOWER_CASE = "The short name must only include lower-case letters, numbers and hyphens"


@pytest.mark.parametrize("slug", ["North-Trust", "north_trust", "NORTH"])
def test_a_short_name_with_capitals_or_underscores_is_refused(slug):
    form = OrganisationForm({"slug": slug, "name": "North Trust"})
    assert not form.is_valid()
    assert any(LOWER_CASE in message for message in form.errors["slug"])
    with pytest.raises(ValidationError, match=LOWER_CASE):
        services.organisation_create(slug=slug, name="North Trust")
    assert not Organisation.objects.exists()


def test_a_lower_case_short_name_is_accepted():
    assert OrganisationForm({"slug": "north-trust-2", "name": "North Trust"}).is_valid()


def test_org_create_refuses_capitals(capsys):
    with pytest.raises(CommandError, match=LOWER_CASE):
        call_command("org", "create", "North-Trust", "--name", "North Trust")
    assert not Organisation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_admins_stepping_down_at_once_leave_one_admin(organisation):
    """Each sees the other still an admin unless the admin memberships are locked."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes the write lock at BEGIN, so its writers never overlap")
    first = MembershipFactory(organisation=organisation, role=Role.ADMIN)
    second = MembershipFactory(organisation=organisation, role=Role.ADMIN)
    first_checked = threading.Event()
    outcome = {}

    def demote_first():
        try:
            with transaction.atomic():
                services.membership_change(membership=first, role=Role.STAFF, perspective="manager")
                first_checked.set()
                # Hold the transaction open while the other admin tries to step down.
                threading.Event().wait(0.5)
        finally:
            first_checked.set()
            connection.close()

    def remove_second():
        first_checked.wait()
        try:
            services.membership_remove(membership=Membership.objects.get(pk=second.pk))
            outcome["second"] = "removed"
        except ValidationError:
            outcome["second"] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=demote_first), threading.Thread(target=remove_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcome["second"] == "refused"
    assert Membership.objects.filter(organisation=organisation, role=Role.ADMIN).count() == 1
