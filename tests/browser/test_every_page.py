"""Every page reachable in the demo passes axe, signed out and as each role, and fits 320px.

The test signs in as each demo person and follows every link it can find on our own pages
(GET only: nothing is changed), checking each page with axe-core in Chromium and again at 320
pixels wide, where nothing may scroll sideways. A link that leads to a 4xx page fails it. The
404 and 403 pages are opened on purpose, so they are checked too. It writes what it checked to
test-artifacts/axe-pages.json, and the number of pages per role at the end of the run.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.browser.conftest import (
    assert_form_errors_accessible,
    run_axe,
    sign_in,
)

pytestmark = pytest.mark.browser

PASSWORD = "demo-password-for-tests"
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
SKIP_PREFIXES = ("/api/v1/", "/static/", "/uploads/", "/health/")
#: Pages drawn by the same view (the same URL pattern with other ids or query strings) share
#: their template, so a few of each are checked rather than every one: the demo has dozens of
#: people, activities and statements, and the suite must finish on a two-core machine.
MAX_PER_VIEW = 4
#: A safety net: the sampling above keeps a crawl to a few hundred pages. Reaching this with
#: pages still queued fails the test rather than quietly leaving pages unchecked.
MAX_PAGES = 1000
REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "axe-pages.json"


@pytest.fixture(scope="module")
def demo_site(request, django_db_setup, django_db_blocker):
    """The demo, built once for every test here, served by a live server of its own.

    The tests here only read (GET, or forms sent empty), so they share one demo rather than
    building it for each test. pytest-django's `live_server` would empty the database after
    each test, so this server is started here; the database is emptied at the end, as
    pytest-django does after a transactional test, so later tests start from nothing.
    """
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    if ":" in address:
        # Not the port of pytest-django's own live server, which the other browser tests start.
        host, port = address.rsplit(":", 1)
        address = f"{host}:{int(port) + 10}"
    with django_db_blocker.unblock():
        call_command("demo", "--force", "--password", PASSWORD, verbosity=0)
        server = LiveServer(address)
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            # Put back what the migrations load, as a fresh test database has it, for the tests
            # that run after this module on the same worker.
            from withpeople.feedback.services import default_framework

            default_framework()


@pytest.fixture
def demo_page(browser, demo_site):
    """demo_page() gives a new Chromium page on the shared demo, as `new_page` does."""
    contexts = []

    def make():
        context = browser.new_context(
            base_url=demo_site.url, bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


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


@dataclass
class Crawl:
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Links that led to a 4xx page: "link (status), found on page".
    broken: list[str] = field(default_factory=list)


def crawl(page, origin: str, error_pages: list[tuple[str, int]]) -> Crawl:
    """Open every start page, then follow links, checking each HTML page with axe."""
    expected_status = dict(error_pages)
    queue = [*START_PAGES, *expected_status, *public_pages()]
    found_on: dict[str, str | None] = dict.fromkeys(queue)
    per_view: dict[str, int] = {}
    result = Crawl()
    while queue:
        if len(result.checked) >= MAX_PAGES:
            result.problems.append(
                f"Stopped after {MAX_PAGES} pages with {len(queue)} still to check, such as "
                f"{queue[:5]}: raise MAX_PAGES or sample fewer pages of each view."
            )
            break
        path = queue.pop(0)
        response = page.goto(path)
        if response is None:
            result.problems.append(f"{path}: no response")
            continue
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
        result.checked.append(path)
        for violation in run_axe(page):
            result.problems.append(
                f"{path}: {violation['id']} ({violation['help']}) {violation['nodes']}"
            )
        page.set_viewport_size({"width": 320, "height": 800})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            result.problems.append(f"{path}: scrolls sideways by {overflow}px at 320px wide")
        page.set_viewport_size({"width": 1280, "height": 900})
        for link in _links(page, origin):
            if link in found_on:
                continue
            view = _view_name(link)
            if per_view.get(view, 0) >= MAX_PER_VIEW:
                continue
            per_view[view] = per_view.get(view, 0) + 1
            found_on[link] = path
            queue.append(link)
    return result


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
def test_every_reachable_page_passes_axe(role, demo_page, demo_site, record_property):
    page = demo_page()
    if role != "anonymous":
        sign_in(page, f"{role}@example.org", PASSWORD)
        assert "/account/sign-in/" not in page.url, f"{role} could not sign in"
    result = crawl(page, demo_site.url, ERROR_PAGES[role])
    _record(role, result.checked)
    record_property("axe_pages_checked", (role, len(result.checked)))
    assert len(result.checked) >= len(START_PAGES) + 6
    assert not result.broken, "Links to pages that are not there or not allowed:\n" + "\n".join(
        result.broken
    )
    assert not result.problems, "\n".join(result.problems)


ERROR_STATES = [
    ("anonymous", "/account/sign-in/"),
    ("anonymous", "/account/password/reset/"),
    ("admin", "/o/example-council/members/invite/"),
    ("staff", "/account/tokens/new/"),
    ("staff", "/account/password/change/"),
]


@pytest.mark.parametrize(("role", "path"), ERROR_STATES)
def test_forms_with_errors_pass_axe(role, path, demo_page):
    """A form sent empty shows the error summary, focused, and still passes axe."""
    page = demo_page()
    if role != "anonymous":
        sign_in(page, f"{role}@example.org", PASSWORD)
    assert_form_errors_accessible(page, path)


def test_the_invitation_not_sent_page_passes_axe(demo_page, settings):
    """What an admin sees when the mail server is down: a real SMTP connection that fails.

    It leaves an invitation in the shared demo, so it comes last here (tests run in file order).
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 2
    page = demo_page()
    sign_in(page, "admin@example.org", PASSWORD)
    page.goto("/o/example-council/members/invite/")
    page.fill("#id_email", "unreachable@example.org")
    page.check("#id_role_1")
    page.check("#id_perspective_0")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "The invitation email could not be sent"
    assert "/invitations/" in page.locator("#invitation-link").inner_text()
    assert not run_axe(page)
