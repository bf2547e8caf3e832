"""Every page reachable in the demo passes axe, signed out and as each role, and fits 320px.

The test signs in as each demo person and follows every link it can find on our own pages
(GET only: nothing is changed), checking each page with axe-core in Chromium and again at 320
pixels wide, where nothing may scroll sideways. It writes what it checked to
test-artifacts/axe-pages.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.browser.conftest import assert_form_errors_accessible, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-for-tests"
START_PAGES = ["/", "/ladder/", "/accessibility/", "/privacy/", "/api/", "/account/sign-in/"]
SKIP_PREFIXES = ("/api/v1/", "/static/", "/uploads/", "/health/")
MAX_PAGES = 600
#: Pages drawn by the same view (the same URL pattern with other ids or query strings) share
#: their template, so a few of each are checked rather than every one: the demo has dozens of
#: people, activities and statements, and the suite must finish on a two-core machine.
MAX_PER_VIEW = 4
REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "axe-pages.json"


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parsed = urlparse(url)
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


def crawl(page, origin: str) -> tuple[list[str], list[str]]:
    queue = list(START_PAGES) + public_pages()
    seen: set[str] = set(queue)
    per_view: dict[str, int] = {}
    checked: list[str] = []
    problems: list[str] = []
    while queue and len(checked) < MAX_PAGES:
        path = queue.pop(0)
        response = page.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        final = urlparse(page.url)
        if response.status >= 500:
            problems.append(f"{path}: status {response.status}")
        checked.append(path)
        for violation in run_axe(page):
            problems.append(f"{path}: {violation['id']} ({violation['help']}) {violation['nodes']}")
        page.set_viewport_size({"width": 320, "height": 800})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{path}: scrolls sideways by {overflow}px at 320px wide")
        page.set_viewport_size({"width": 1280, "height": 900})
        del final
        for link in _links(page, origin):
            if link in seen:
                continue
            view = _view_name(link)
            if per_view.get(view, 0) >= MAX_PER_VIEW:
                continue
            per_view[view] = per_view.get(view, 0) + 1
            seen.add(link)
            queue.append(link)
    return checked, problems


def _record(role: str, checked: list[str]) -> None:
    REPORT.parent.mkdir(exist_ok=True)
    report = json.loads(REPORT.read_text()) if REPORT.exists() else {"roles": {}}
    report["roles"][role] = {
        "pages": checked,
        "views": sorted({_view_name(path) for path in checked}),
    }
    roles = report["roles"].values()
    report["pages_checked"] = sum(len(r["pages"]) for r in roles)
    report["distinct_views"] = len({v for r in roles for v in r["views"]})
    REPORT.write_text(json.dumps(report, indent=2))


@pytest.mark.parametrize("role", ["anonymous", "partner", "staff", "admin"])
def test_every_reachable_page_passes_axe(role, new_page, live_server):
    call_command("demo", "--force", "--password", PASSWORD, verbosity=0)
    page = new_page()
    if role != "anonymous":
        sign_in(page, f"{role}@example.org", PASSWORD)
        assert "/account/sign-in/" not in page.url, f"{role} could not sign in"
    checked, problems = crawl(page, live_server.url)
    _record(role, checked)
    assert len(checked) >= len(START_PAGES) + 6
    assert not problems, "\n".join(problems)


ERROR_STATES = [
    ("anonymous", "/account/sign-in/"),
    ("anonymous", "/account/password/reset/"),
    ("admin", "/o/example-council/members/invite/"),
    ("staff", "/account/tokens/new/"),
    ("staff", "/account/password/change/"),
]


@pytest.mark.parametrize(("role", "path"), ERROR_STATES)
def test_forms_with_errors_pass_axe(role, path, new_page):
    """A form sent empty shows the error summary, focused, and still passes axe."""
    call_command("demo", "--force", "--password", PASSWORD, verbosity=0)
    page = new_page()
    if role != "anonymous":
        sign_in(page, f"{role}@example.org", PASSWORD)
    assert_form_errors_accessible(page, path)
