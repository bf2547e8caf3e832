"""Pages of a long list, shown with GOV.UK Frontend's pagination component.

Every list that can grow with an organisation (pieces of work, people, claims, the audit log,
responses, actions, stories) is cut into pages in the database, so a page costs the same for
ten rows or a million. The links keep whatever filters the person chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

DEFAULT_PER_PAGE = 50


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None stands for an ellipsis
    href: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    page: Page
    links: list[PageLink]
    previous_href: str
    next_href: str
    label: str

    @property
    def total(self) -> int:
        return self.page.paginator.count

    #: The same, as the audit log's template calls it.
    count = total

    @property
    def object_list(self):
        return self.page.object_list

    def __iter__(self):
        return iter(self.page.object_list)


def _href(request: HttpRequest, number: int, param: str) -> str:
    query = request.GET.copy()
    query[param] = str(number)
    return "?" + urlencode(sorted(query.lists()), doseq=True)


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    per_page: int = DEFAULT_PER_PAGE,
    label: str = "",
    param: str = "page",
) -> Pagination:
    """The page of `queryset` that the request asks for (the first page for a bad number).

    `queryset` must be ordered, so that pages do not overlap. `label` names the list for screen
    readers ("Pages of the audit log").
    """
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get(param))
    links = [
        PageLink(number=None)
        if number == paginator.ELLIPSIS
        else PageLink(
            number=number, href=_href(request, number, param), current=number == page.number
        )
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return Pagination(
        page=page,
        links=links,
        previous_href=_href(request, page.number - 1, param) if page.has_previous() else "",
        next_href=_href(request, page.number + 1, param) if page.has_next() else "",
        label=label,
    )
