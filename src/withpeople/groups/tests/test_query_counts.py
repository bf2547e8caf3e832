"""Group pages run as many queries with many groups, members and agreements as with few."""

from __future__ import annotations

import pytest

from withpeople.groups.tests.scale import add_rows, base, queries_for

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
    client = client_for(members["staff"])
    url = PAGES[page](rows)
    few = queries_for(client, url)
    add_rows(organisation, members, rows, count=5)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
