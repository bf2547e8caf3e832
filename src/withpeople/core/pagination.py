"""Paging a long list: Django's Paginator, with links that keep the page's other filters.

``paginate(request, queryset)`` gives a `Pagination` for `core/includes/pagination.html`, which
renders GOV.UK Frontend's pagination component
(https://design-system.service.gov.uk/components/pagination/). Paging costs two queries however
long the list is: a COUNT and the slice for the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass(frozen=True)
class PageLink:
    #: None for the ellipsis between far-apart page numbers.
    number: int | None
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    page: Page
    links: list[PageLink]
    previous_url: str | None
    next_url: str | None

    @property
    def count(self) -> int:
        """How many items in all, on every page."""
        return self.page.paginator.count

    @property
    def has_other_pages(self) -> bool:
        return self.page.has_other_pages()


def page_url(request: HttpRequest, number: int) -> str:
    """A link to page `number` of this list, with the request's other query parameters."""
    query = request.GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = 50) -> Pagination:
    """The page of `queryset` the request asks for (``?page=``); out of range gives the last.

    The queryset must be ordered, so that pages do not overlap.
    """
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    links = [
        PageLink(number=None)
        if number == Paginator.ELLIPSIS
        else PageLink(
            number=int(number), url=page_url(request, int(number)), current=number == page.number
        )
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return Pagination(
        page=page,
        links=links,
        previous_url=page_url(request, page.previous_page_number())
        if page.has_previous()
        else None,
        next_url=page_url(request, page.next_page_number()) if page.has_next() else None,
    )
