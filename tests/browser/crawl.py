"""The crawl behind "every page reachable in the demo passes axe, as each role, and fits 320px".

A test signs in as a demo person and follows every link it can find on our own pages (GET only:
nothing is changed), checking each view's pages with axe-core in Chromium and at 320 pixels wide,
where nothing may scroll sideways. A link that leads to a 4xx page fails it. The 404 and 403
pages are opened on purpose, so they are checked too. Each role has a test file of its own
(test_every_page_as_*.py), so that pytest-xdist crawls the roles side by side. What each crawl
checked is written to test-artifacts/axe-pages-<role>.json, and the number of pages per role is
printed at the end of the run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

from django.urls import Resolver404, resolve

from tests.browser.conftest import DEMO_PASSWORD, run_axe, sign_in

START_PAGES = ["/", "/ladder/", "/accessibility/", "/privacy/", "/api/", "/account/sign-in/"]
#: The error pages, opened on purpose so their style is checked too: (path, status) by role.
NOT_FOUND = ("/no-such-page/", 404)
ADMINS_ONLY = ("/o/example-council/members/invite/", 403)
ERROR_PAGES = {
    "anonymous": [NOT_FOUND],
    "partner": [NOT_FOUND, ADMINS_ONLY],
    "staff": [NOT_FOUND, ADMINS_ONLY],
    "admin": [NOT_FOUND],
}
#: Not pages: the API, files, the health check, and calendar feeds (which the browser downloads;
#: withpeople/meetings/tests check them).
SKIP_PREFIXES = ("/api/v1/", "/static/", "/uploads/", "/health/", "/meetings/calendar/")
#: Pages drawn by the same view (the same URL pattern with other ids or query strings) share
#: their template. The crawl opens up to MAX_OPENED_PER_VIEW of each view, to find the links on
#: them (some views are reached only from a third or fourth person, piece of work or cycle). It
#: checks MAX_CHECKED_PER_VIEW of those at 320 px, and the first of them with axe too: axe finds
#: a template's problems on its first page, and costs half a second a page, five times opening
#: one. So every view each role can reach is still checked with axe as that role, and with other
#: data at 320 px, on a two-core machine. The pages opened only for their links are fetched with
#: the browser's cookies and read as HTML, not drawn: their status is checked all the same.
MAX_OPENED_PER_VIEW = 4
MAX_CHECKED_PER_VIEW = 2
MAX_AXE_PER_VIEW = 1
#: A safety net: the sampling above keeps a crawl to a few hundred pages. Reaching this with
#: pages still queued fails the test rather than quietly leaving pages unchecked.
MAX_PAGES = 1000
REPORTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class _Hrefs(HTMLParser):
    """The addresses of a page's links, as `a[href]:not([download])` finds them."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "a" and named.get("href") is not None and "download" not in named:
            self.hrefs.append(named["href"] or "")


def _links(origin: str, html: str, url: str) -> list[str]:
    """Our own links in the page's HTML as the server sent it. No script of ours or GOV.UK
    Frontend's adds a link, and reading the HTML is quicker than asking the browser."""
    parser = _Hrefs()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        link, _fragment = urldefrag(urljoin(url, href.strip()))
        parsed = urlparse(link)
        if f"{parsed.scheme}://{parsed.netloc}" != origin:
            continue
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if not path.startswith(SKIP_PREFIXES):
            found.append(path)
    return found


def _view_name(path: str) -> str:
    try:
        return resolve(path.split("?")[0]).view_name
    except Resolver404:
        return path


def public_pages() -> list[str]:
    """The demo's public pages, which people reach from a link or QR code outside the site."""
    from django.urls import reverse

    from withpeople.feedback.models import CycleStatus, ReviewCycle
    from withpeople.groups.models import WorkingAgreement
    from withpeople.improvement.models import Publication
    from withpeople.works.models import Work

    pages = []
    for work in Work.objects.published().select_related("organisation"):
        pages.append(
            reverse("works:openness", kwargs={"org_slug": work.organisation.slug, "pk": work.pk})
        )
    for agreement in WorkingAgreement.objects.filter(published_at__isnull=False).select_related(
        "group__organisation"
    ):
        kwargs = {"org_slug": agreement.group.organisation.slug, "pk": agreement.group_id}
        pages.append(reverse("groups:agreement-public", kwargs=kwargs))
    for cycle in ReviewCycle.objects.filter(status=CycleStatus.OPEN):
        pages.append(reverse("feedback:public-form", kwargs={"code": cycle.public_code}))
        pages.append(reverse("feedback:public-form-easy-read", kwargs={"code": cycle.public_code}))
    for publication in Publication.objects.select_related("cycle__organisation"):
        kwargs = {
            "org_slug": publication.cycle.organisation.slug,
            "cycle_slug": publication.cycle.slug,
        }
        pages.append(reverse("improvement:you-said-we-did", kwargs=kwargs))
        pages.append(reverse("improvement:you-said-we-did-easy-read", kwargs=kwargs))
    return pages


@dataclass
class Crawl:
    #: The pages checked at 320 px.
    checked: list[str] = field(default_factory=list)
    #: The pages also checked with axe.
    axe_checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Links that led to a 4xx page: "link (status), found on page".
    broken: list[str] = field(default_factory=list)


NARROW = {"width": 320, "height": 800}
WIDE = {"width": 1280, "height": 900}


def _fits_320px(page, path: str, result: Crawl) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        result.problems.append(f"{path}: scrolls sideways by {overflow}px at 320px wide")


def _axe(page, path: str, result: Crawl) -> None:
    result.axe_checked.append(path)
    for violation in run_axe(page):
        result.problems.append(
            f"{path}: {violation['id']} ({violation['help']}) {violation['nodes']}"
        )


def _check(page, path: str, result: Crawl, *, axe: bool) -> None:
    """The page at 320 px wide, where nothing may scroll sideways, and (if asked) axe on the
    page at 1280 px. A page is checked at the width it opened at, then the other if axe is
    asked, and the browser stays there for the next page: each resize makes Chromium lay the
    page out again, and this way a page needs at most one."""
    if page.viewport_size["width"] == NARROW["width"]:
        _fits_320px(page, path, result)
        if axe:
            page.set_viewport_size(WIDE)
            _axe(page, path, result)
    else:
        if axe:
            _axe(page, path, result)
        page.set_viewport_size(NARROW)
        _fits_320px(page, path, result)


def crawl(page, origin: str, error_pages: list[tuple[str, int]]) -> Crawl:
    """Open every start page, then follow links, checking HTML pages with axe (up to
    MAX_CHECKED_PER_VIEW of each view, and every error page opened on purpose)."""
    expected_status = dict(error_pages)
    queue = [*START_PAGES, *expected_status, *public_pages()]
    found_on: dict[str, str | None] = dict.fromkeys(queue)
    per_view: dict[str, int] = {}
    checked_per_view: dict[str, int] = {}
    result = Crawl()
    while queue:
        if len(result.checked) >= MAX_PAGES:
            result.problems.append(
                f"Stopped after {MAX_PAGES} pages with {len(queue)} still to check, such as "
                f"{queue[:5]}: raise MAX_PAGES or sample fewer pages of each view."
            )
            break
        path = queue.pop(0)
        view = _view_name(path)
        done = checked_per_view.get(view, 0)
        to_check = done < MAX_CHECKED_PER_VIEW or path in expected_status
        if to_check:
            response = page.goto(path)
            if response is None:
                result.problems.append(f"{path}: no response")
                continue
            status = response.status
        else:
            # Opened only for its links: fetched with the browser's cookies, not drawn.
            response = page.request.get(path)
            status = response.status
        if path in expected_status:
            if status != expected_status[path]:
                result.problems.append(f"{path}: status {status}, not {expected_status[path]}")
        elif 400 <= status < 500:
            result.broken.append(f"{path} ({status}), linked from {found_on[path] or 'start'}")
        elif status >= 500:
            result.problems.append(f"{path}: status {status}")
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        if to_check:
            checked_per_view[view] = done + 1
            result.checked.append(path)
            _check(page, path, result, axe=done < MAX_AXE_PER_VIEW or path in expected_status)
        links = _links(origin, response.text(), response.url)
        for link in links:
            if link in found_on:
                continue
            view = _view_name(link)
            if per_view.get(view, 0) >= MAX_OPENED_PER_VIEW:
                continue
            per_view[view] = per_view.get(view, 0) + 1
            found_on[link] = path
            queue.append(link)
    return result


def _record(role: str, result: Crawl) -> None:
    REPORTS.mkdir(exist_ok=True)
    report = {
        "pages": result.checked,
        "views": sorted({_view_name(path) for path in result.checked}),
        "axe_pages": result.axe_checked,
        "axe_views": sorted({_view_name(path) for path in result.axe_checked}),
    }
    (REPORTS / f"axe-pages-{role}.json").write_text(json.dumps(report, indent=2))


def check_every_page(role: str, page, origin: str) -> int:
    """Crawl the demo as `role` (signed out for "anonymous") and fail on any problem found.

    Returns the number of pages checked with axe."""
    if role != "anonymous":
        sign_in(page, f"{role}@example.org", DEMO_PASSWORD)
        assert "/account/sign-in/" not in page.url, f"{role} could not sign in"
    result = crawl(page, origin, ERROR_PAGES[role])
    _record(role, result)
    views = {_view_name(path) for path in result.checked}
    assert views == {_view_name(path) for path in result.axe_checked}, "a view missed axe"
    assert len(result.checked) >= len(START_PAGES) + 6
    assert not result.broken, "Links to pages that are not there or not allowed:\n" + "\n".join(
        result.broken
    )
    assert not result.problems, "\n".join(result.problems)
    return len(result.axe_checked)
