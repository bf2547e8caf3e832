"""Group pages run as many queries with many groups, members and agreements as with few."""

from __future__ import annotations

import pytest

from withpeople.groups.tests.scale import add_rows, assert_queries_do_not_grow, base

pytestmark = pytest.mark.django_db

PAGES = {
    "group list": lambda b: "/o/example/groups/",
    "group": lambda b: f"/o/example/groups/{b.group.pk}/",
    "agreement": lambda b: f"/o/example/groups/{b.group.pk}/working-agreement/",
    "relationships": lambda b: "/o/example/groups/relationships/",
    "values": lambda b: "/o/example/values/",
    "work values": lambda b: f"/o/example/values/works/{b.work.pk}/",
}


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_rows(
    page, organisation, members, client_for, django_assert_max_num_queries
):
    rows = base(organisation, members)
    assert_queries_do_not_grow(
        client_for(members["staff"]),
        PAGES[page](rows),
        lambda: add_rows(organisation, members, rows, count=5),
        django_assert_max_num_queries,
    )
