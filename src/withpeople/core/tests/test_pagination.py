"""Pages of a long list keep the person's filters and never fail on a bad page number."""

from django.template.loader import render_to_string
from django.test import RequestFactory

from withpeople.core.pagination import paginate


def _pagination(query: str, rows: int = 500, per_page: int = 10):
    request = RequestFactory().get("/list/" + query)
    return paginate(request, list(range(rows)), per_page=per_page, label="Pages of the list")


def test_links_keep_the_filters_and_mark_the_current_page():
    pagination = _pagination("?flag=gap&page=7")
    assert pagination.total == 500
    assert list(pagination) == list(range(60, 70))
    current = [link for link in pagination.links if link.current]
    assert [link.number for link in current] == [7]
    assert current[0].href == "?flag=gap&page=7"
    assert pagination.previous_href == "?flag=gap&page=6"
    assert pagination.next_href == "?flag=gap&page=8"
    # Far pages are elided, the first and last stay reachable.
    numbers = [link.number for link in pagination.links]
    assert numbers[0] == 1 and numbers[-1] == 50 and None in numbers


def test_a_bad_page_number_gives_a_page_not_an_error():
    assert list(_pagination("?page=banana")) == list(range(10))
    assert list(_pagination("?page=9999")) == list(range(490, 500))


def test_the_component_renders_links_and_nothing_for_one_page():
    html = render_to_string("core/includes/pagination.html", {"pagination": _pagination("?page=2")})
    assert 'aria-label="Pages of the list"' in html
    assert 'href="?page=1" rel="prev"' in html
    assert 'aria-current="page">2<' in html
    single = render_to_string("core/includes/pagination.html", {"pagination": _pagination("", 5)})
    assert "govuk-pagination" not in single
