"""Time and payments pages run as many queries with many people and payments as with few."""

from __future__ import annotations

import pytest

from withpeople.groups.tests.scale import add_rows, base, queries_for

pytestmark = pytest.mark.django_db

P = "/o/example/time-and-payments/"
#: (who opens it, the page)
PAGES = {
    "overview": ("staff", lambda b: P),
    "a person's time and payments": ("staff", lambda b: f"{P}people/{b.offline.pk}/"),
    "your own": ("partner", lambda b: f"{P}yours/"),
    "recording time": ("staff", lambda b: f"{P}time/new/"),
}


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_rows(
    page, organisation, members, client_for, django_assert_max_num_queries
):
    rows = base(organisation, members)
    viewer, path = PAGES[page]
    client = client_for(members[viewer])
    url = path(rows)
    few = queries_for(client, url)
    add_rows(organisation, members, rows, count=5)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
