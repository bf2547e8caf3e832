"""Lists of people and of groups come a page at a time, and cost the same at any size."""

from __future__ import annotations

import datetime as dt

import pytest

from withpeople.groups import services
from withpeople.groups.tests.scale import assert_queries_do_not_grow
from withpeople.groups.views import MEMBERS_PER_PAGE
from withpeople.organisations.views import MEMBERS_PER_PAGE as ORGANISATION_PER_PAGE
from withpeople.testing.factories import MembershipFactory
from withpeople.works.services import work_create

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 2, 1)


def _add(group, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        services.group_member_add(
            group=group, perspective="carer", role="member", joined_on=DAY, name=f"Person {n:03d}"
        )


def test_the_people_in_a_group_come_a_page_at_a_time(
    client_for, members, organisation, django_assert_max_num_queries
):
    group = services.group_create(organisation=organisation, name="Board")
    _add(group, 2)
    client = client_for(members["staff"])
    url = f"/o/example/groups/{group.pk}/"
    assert_queries_do_not_grow(
        client, url, lambda: _add(group, MEMBERS_PER_PAGE + 1, 2), django_assert_max_num_queries
    )
    body = client.get(url).content.decode()
    assert "Person 000" in body and "Person 050" not in body
    assert 'aria-label="Pages of people in the group now"' in body
    body = client.get(url + "?page=2").content.decode()
    assert "Person 050" in body and "Person 052" in body and "Person 000" not in body


def test_the_groups_of_pieces_of_work_come_a_page_at_a_time(
    client_for, members, organisation, django_assert_max_num_queries
):
    def more(start: int, count: int) -> None:
        for n in range(start, start + count):
            work_create(organisation=organisation, title=f"Work {n:03d}", level="strategic")

    more(0, 2)
    client = client_for(members["staff"])
    assert_queries_do_not_grow(
        client,
        "/o/example/groups/",
        lambda: more(2, MEMBERS_PER_PAGE),
        django_assert_max_num_queries,
    )
    body = client.get("/o/example/groups/").content.decode()
    assert "Work 000" in body and "Work 051" not in body
    assert "Work 051" in client.get("/o/example/groups/?page=2").content.decode()


def test_the_members_of_an_organisation_come_a_page_at_a_time(
    client_for, members, organisation, django_assert_max_num_queries
):
    def more(count: int) -> None:
        for _ in range(count):
            MembershipFactory(organisation=organisation)

    client = client_for(members["admin"])
    assert_queries_do_not_grow(
        client,
        "/o/example/members/",
        lambda: more(ORGANISATION_PER_PAGE),
        django_assert_max_num_queries,
    )
    total = organisation.memberships.count()
    body = " ".join(client.get("/o/example/members/").content.decode().split())
    assert f"{total} members" in body
    assert body.count('<tr class="govuk-table__row">') <= ORGANISATION_PER_PAGE + 1
    assert 'aria-label="Pages of members"' in body
