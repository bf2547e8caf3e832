"""Rows made once for a module (`withpeople.testing.people.shared_rows`) stay for every test,
and what one test saves or changes in memory is gone before the next.

The tests run in file order, on one worker (pytest-xdist sends a file to one worker). That the
rows are gone once the module ends is shown by the files after it on the same worker, which
make an organisation with the same slug.
"""

from __future__ import annotations

import pytest

from withpeople.organisations.models import Organisation
from withpeople.testing.people import make_organisation, shared_rows


@pytest.fixture(scope="module")
def _shared(django_db_setup, django_db_blocker):
    with shared_rows(django_db_blocker, make_organisation) as shared:
        yield shared


@pytest.fixture
def shared_organisation(db, _shared):
    return _shared()


def test_a_test_saves_a_row_and_changes_the_shared_one(shared_organisation):
    shared_organisation.name = "Renamed in memory and in the database"
    shared_organisation.save()
    Organisation.objects.create(slug="saved-by-one-test", name="Saved by one test")
    assert Organisation.objects.filter(slug="saved-by-one-test").exists()


def test_the_next_test_finds_the_shared_row_as_it_was_and_nothing_else(shared_organisation):
    assert shared_organisation.name == "Example Council"
    assert Organisation.objects.get(pk=shared_organisation.pk).name == "Example Council"
    assert not Organisation.objects.filter(slug="saved-by-one-test").exists()
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["example"]
