"""Paging a list with GOV.UK pagination links that keep the page's filters."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent
from withpeople.core.pagination import paginate

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(organisation):
    AuditEvent.objects.bulk_create(
        AuditEvent(organisation=organisation, action=AuditEventKind.ERASED_PERSON)
        for _ in range(230)
    )
    return AuditEvent.objects.order_by("-id")


def test_a_page_keeps_the_filters_and_elides_far_pages(events):
    request = RequestFactory().get("/log/", {"action": "erased_person", "page": "3"})
    pagination = paginate(request, events, per_page=20)
    assert pagination.count == 230
    assert pagination.page.number == 3 and len(pagination.page.object_list) == 20
    assert pagination.previous_url == "?action=erased_person&page=2"
    assert pagination.next_url == "?action=erased_person&page=4"
    numbers = [link.number for link in pagination.links]
    assert numbers == [1, 2, 3, 4, None, 12]
    assert [link.number for link in pagination.links if link.current] == [3]


def test_a_page_out_of_range_gives_the_last(events):
    pagination = paginate(RequestFactory().get("/log/", {"page": "99"}), events)
    assert pagination.page.number == 5
    assert pagination.next_url is None


def test_the_include_renders_govuk_pagination(events):
    pagination = paginate(RequestFactory().get("/log/", {"page": "2"}), events)
    html = render_to_string(
        "core/includes/pagination.html", {"pagination": pagination, "label": "Pages of events"}
    )
    assert '<nav class="govuk-pagination" aria-label="Pages of events">' in html
    assert 'href="?page=1" rel="prev"' in html
    assert 'aria-current="page">2</a>' in html
    assert 'href="?page=3" rel="next"' in html


def test_one_page_renders_nothing(organisation):
    pagination = paginate(RequestFactory().get("/log/"), AuditEvent.objects.order_by("-id"))
    assert (
        render_to_string("core/includes/pagination.html", {"pagination": pagination}).strip() == ""
    )
