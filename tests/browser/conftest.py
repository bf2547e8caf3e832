"""Browser tests: the real Chromium, driven by Playwright, with axe-core checking every page."""

from __future__ import annotations

import functools
import http.server
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: The password of every demo person in the browser tests.
DEMO_PASSWORD = "demo-password-for-tests"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # A crawl opens hundreds of pages in one tab; pages left are not kept in memory for "back".
    "--disable-features=BackForwardCache",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}. Run scripts/test, which installs it, or install it "
            "with: apt-get install chromium"
        )
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing from node_modules. Run scripts/setup (npm ci).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(*, javascript: bool = True, width: int = 1280):
        # axe is added to each page as a script; bypass_csp lets it run under our policy,
        # which otherwise forbids scripts that are not our own files.
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=True,
            java_script_enabled=javascript,
            viewport={"width": width, "height": 900},
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


class _AxeScript(http.server.BaseHTTPRequestHandler):
    """Serves axe-core's script, which the browser may keep: added to a page by its address
    rather than as text, Chromium compiles it once, not once per page (a quarter of the time
    of checking a page, measured over a crawl)."""

    def do_GET(self) -> None:
        body = AXE_JS.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/javascript")
        self.send_header("Cache-Control", "public, max-age=86400, immutable")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@functools.cache
def _axe_url() -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AxeScript)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/axe.min.js"


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page, for WCAG 2.2 A and AA and axe's best practices."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=_axe_url())
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                               'wcag22aa', 'best-practice']},
                // Only violations are read: axe then keeps one node of each other result
                // rather than all of them, which makes a run quicker.
                resultTypes: ['violations'],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
            }));
        }"""
    )


def sign_in(page, email: str, password: str) -> None:
    page.goto("/account/sign-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def assert_form_errors_accessible(page, path: str) -> None:
    """Send the page's main form empty: the error summary shows, takes focus and passes axe."""
    page.goto(path)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible(), f"{path}: no error summary"
    # GOV.UK Frontend moves focus to the error summary so screen readers announce it.
    assert page.evaluate("document.activeElement.closest('.govuk-error-summary') !== null")
    assert page.title().startswith("Error:"), f"{path}: the title does not start with Error:"
    violations = run_axe(page)
    assert not violations, violations


#: This worker's copy of the demo database, made the first time a test asks for the demo.
_demo_copy: sqlite3.Connection | None = None


def load_demo() -> None:
    """Fill the test database with the demo, every person's password being DEMO_PASSWORD.

    Browser tests run on SQLite. Building the demo takes seconds, so it is built once on each
    worker and copied aside with SQLite's backup API; later tests get that copy written back over
    the whole database, which takes milliseconds and gives exactly what building it again would.
    The live server's own connection reads the same file, so it sees the demo at once.
    """
    global _demo_copy
    from django.db import connection

    if connection.vendor != "sqlite":
        call_command("demo", "--force", "--password", DEMO_PASSWORD, verbosity=0)
        return
    connection.ensure_connection()
    if _demo_copy is None:
        call_command("demo", "--force", "--password", DEMO_PASSWORD, verbosity=0)
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _demo_copy = copy
    else:
        _demo_copy.backup(connection.connection)
