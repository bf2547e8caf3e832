"""The people most tests start from: an organisation with one member per role, and an outsider.

The fixtures `organisation`, `members` and `outsider` in the root conftest.py make them for one
test; `shared_rows` makes them once for a whole module of tests, and `signed_in_session` signs
someone in once for all its tests.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


def make_organisation():
    from withpeople.testing.factories import OrganisationFactory

    return OrganisationFactory(slug="example", name="Example Council")


def make_members(organisation) -> dict[str, Any]:
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


def make_outsider():
    """An admin of a different organisation: must never see anything of `organisation`."""
    from withpeople.organisations.models import Role
    from withpeople.testing.factories import MembershipFactory, OrganisationFactory

    other = OrganisationFactory(slug="elsewhere", name="Elsewhere Trust")
    return MembershipFactory(organisation=other, role=Role.ADMIN)


def signed_in_session(user) -> str:
    """The key of a new session in which `user` is signed in, as Django's test client signs in:
    made once, it can be carried by many clients (`client_in_session`)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def client_in_session(session_key: str | None):
    """A test client carrying that session, or signed out if there is none."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    if session_key is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


@contextmanager
def shared_rows(django_db_blocker, make: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """Rows made once for many tests, as Django's `TestCase.setUpTestData` makes them.

    `make()` runs inside a transaction that stays open while the tests run and is rolled back
    at the end. Each test's own transaction (pytest-django's `db`) is then a savepoint within
    it: what a test saves is undone after it, and the shared rows stay. The block gives a
    function that returns a deep copy of what `make()` returned, so that a test that changes
    the objects in memory leaves the next test's copy alone. For tests that do not commit
    (`django_db` without `transaction=True`) on one database.
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        made = make()
        try:
            yield lambda: copy.deepcopy(made)
        finally:
            transaction.set_rollback(True)
