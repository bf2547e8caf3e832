"""Kept fragments are keyed by what they are drawn from, and never kept from a moving source."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import caches

from withpeople.core import fragments


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["fragments"].clear()
    yield
    caches["fragments"].clear()


def test_a_value_is_made_once_per_key():
    made = itertools.count(1)
    assert fragments.kept_while_unchanged(lambda: ("a", 1), lambda: next(made)) == 1
    assert fragments.kept_while_unchanged(lambda: ("a", 1), lambda: next(made)) == 1
    assert fragments.kept_while_unchanged(lambda: ("a", 2), lambda: next(made)) == 2


def test_a_value_made_while_its_source_changed_is_not_kept():
    made = itertools.count(1)
    versions = iter([("a", 1), ("a", 2), ("a", 1), ("a", 1)])
    # Read as version 1, changed to 2 while it was made: shown once, not kept under 1.
    assert fragments.kept_while_unchanged(lambda: next(versions), lambda: next(made)) == 1
    # So version 1 is made again, from rows that now say 1.
    assert fragments.kept_while_unchanged(lambda: next(versions), lambda: next(made)) == 2
