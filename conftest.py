"""Fixtures shared by every test: an organisation with one member per role, and an outsider."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the test still talks to the
# database synchronously, which is safe here because nothing else runs in that loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def organisation(db):
    from withpeople.testing.factories import OrganisationFactory

    return OrganisationFactory(slug="example", name="Example Council")


@pytest.fixture
def members(organisation):
    """One member per role in `organisation`, keyed by role."""
    from withpeople.domain.ladder import Perspective
    from withpeople.organisations.models import Role
    from withpeople.testing.factories import MembershipFactory

    return {
        "admin": MembershipFactory(
            organisation=organisation, role=Role.ADMIN, perspective=Perspective.MANAGER
        ),
        "staff": MembershipFactory(
            organisation=organisation, role=Role.STAFF, perspective=Perspective.FRONTLINE_STAFF
        ),
        "partner": MembershipFactory(
            organisation=organisation,
            role=Role.PARTNER,
            perspective=Perspective.LIVED_EXPERIENCE,
        ),
    }


@pytest.fixture
def outsider(db):
    """An admin of a different organisation: must never see anything of `organisation`."""
    from withpeople.organisations.models import Role
    from withpeople.testing.factories import MembershipFactory, OrganisationFactory

    other = OrganisationFactory(slug="elsewhere", name="Elsewhere Trust")
    return MembershipFactory(organisation=other, role=Role.ADMIN)


@pytest.fixture
def client_for(client):
    """client_for(membership) gives a test client signed in as that member."""
    from django.test import Client

    def make(membership):
        c = Client()
        c.force_login(membership.user if hasattr(membership, "user") else membership)
        return c

    return make
