"""Journeys done with the keyboard alone, and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = DEMO_PASSWORD


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Could not reach {selector} with the Tab key")


def test_skip_link_is_the_first_thing_tab_reaches(new_page):
    page = new_page()
    page.goto("/ladder/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    # The address and the focus change after the key press, not with it: wait for both, so
    # the test checks what a keyboard user gets rather than how fast the browser reports it.
    expect(page).to_have_url(re.compile(r"#main-content$"))
    expect(page.locator("#main-content")).to_be_focused()


@pytest.mark.parametrize("javascript", [True, False])
def test_sign_in_and_invite_someone_by_keyboard(new_page, javascript):
    load_demo()
    page = new_page(javascript=javascript)
    page.goto("/account/sign-in/")
    tab_to(page, "#id_username")
    page.keyboard.type("admin@example.org")
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/o/example-council/")

    tab_to(page, "a[href$='/members/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/members/")
    tab_to(page, "a[href$='/members/invite/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/members/invite/")

    tab_to(page, "#id_email")
    page.keyboard.type("keyboard.person@example.org")
    tab_to(page, "input[name=role]")
    page.keyboard.press("ArrowDown")  # admin -> staff
    page.keyboard.press("ArrowDown")  # staff -> partner
    assert page.locator("#id_role_2").is_checked()
    tab_to(page, "input[name=perspective]")
    page.keyboard.press("Space")
    assert page.locator("#id_perspective_0").is_checked()
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/members/")
    assert "We have sent an invitation to keyboard.person@example.org" in page.content()


def test_usable_at_200_percent_zoom(new_page):
    """At 200% zoom a 1280px window is 640 CSS pixels wide: nothing may scroll sideways."""
    load_demo()
    page = new_page(width=640)
    page.goto("/account/sign-in/")
    page.fill("#id_username", "admin@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    for path in ["/o/example-council/", "/o/example-council/members/", "/account/"]:
        page.goto(path)
        width = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert width <= 0, f"{path} scrolls sideways at 200% zoom"
