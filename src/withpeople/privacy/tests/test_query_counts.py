"""Privacy pages run as many queries with many people and entries as with few."""

from __future__ import annotations

import pytest

from withpeople.groups.tests.scale import add_rows, assert_queries_do_not_grow, base

pytestmark = pytest.mark.django_db

PAGES = {
    "people's data": lambda b: "/o/example/people-data/",
    "audit log": lambda b: "/o/example/audit/",
    "diversity figures": lambda b: "/o/example/diversity/",
    "diversity of a piece of work": lambda b: f"/o/example/diversity/work/{b.work.pk}/",
    "someone's data": lambda b: f"/o/example/people-data/without-account/{b.offline.pk}/",
}


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_rows(
    page, organisation, members, client_for, django_assert_max_num_queries
):
    rows = base(organisation, members)
    assert_queries_do_not_grow(
        client_for(members["admin"]),
        PAGES[page](rows),
        lambda: add_rows(organisation, members, rows, count=5),
        django_assert_max_num_queries,
    )
