"""Browser tests: the real Chromium, driven by Playwright, with axe-core checking every page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
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


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page, for WCAG 2.2 A and AA and axe's best practices."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text())
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                               'wcag22aa', 'best-practice']},
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
