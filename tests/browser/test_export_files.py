"""A large spreadsheet made in the background, in the browser: the page that asks for it and
the page that offers it pass axe and fit a 320 px screen, without JavaScript needed."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_PASSWORD, load_demo, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    violations = run_axe(page)
    assert not violations, (page.url, violations)
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, (page.url, overflow)


def test_asking_for_a_large_finance_spreadsheet(new_page, monkeypatch):
    monkeypatch.setattr("withpeople.core.tables.BACKGROUND_ROWS", -1)  # every one is large
    load_demo()
    page = new_page()
    sign_in(page, "staff@example.org", DEMO_PASSWORD)
    page.goto(
        "/o/example-council/time-and-payments/finance-export/?start=2020-01-01&end=2030-12-31&file_format=xlsx"
    )
    assert "/files/finance/" in page.url, page.title()
    _check(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Make the file").click()
    page.wait_for_url("**/files/made/*/")
    assert page.get_by_role("heading", name="Your file is ready").is_visible()
    _check(page)
