"""Groups in the browser: access needs by keyboard alone, and a form's errors with axe."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    DEMO_PASSWORD,
    assert_form_errors_accessible,
    load_demo,
    run_axe,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = DEMO_PASSWORD


def tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Could not reach {selector} with the Tab key")


def test_recording_your_own_access_needs_with_the_keyboard_alone(new_page):
    from withpeople.groups.models import AccessNeeds

    load_demo()
    page = new_page()
    sign_in(page, "partner@example.org", PASSWORD)
    page.goto("/o/example-council/")
    tab_to(page, "a[href='/o/example-council/access-needs/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/o/example-council/access-needs/")
    tab_to(page, "input[value='audio']")
    page.keyboard.press("Space")
    tab_to(page, "input[value='interpreter']")
    page.keyboard.press("Space")
    tab_to(page, "#id_interpreter_language")
    page.keyboard.type("Welsh")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Your access needs have been saved" in page.inner_text("main")
    assert "An interpreter (Welsh)" in page.inner_text("main")
    needs = AccessNeeds.objects.get(membership__user__email="partner@example.org")
    assert needs.audio and needs.interpreter and needs.interpreter_language == "Welsh"
    # The demo's own needs for the partner are kept.
    assert needs.easy_read
    assert not run_axe(page)


def test_creating_a_group_with_errors_is_accessible(new_page):
    load_demo()
    page = new_page()
    sign_in(page, "staff@example.org", PASSWORD)
    assert_form_errors_accessible(page, "/o/example-council/groups/new/")


def test_access_needs_errors_are_accessible(new_page):
    load_demo()
    page = new_page()
    sign_in(page, "staff@example.org", PASSWORD)
    page.goto("/o/example-council/access-needs/")
    page.check("input[value='other']")
    page.fill("#id_other_detail", "")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    assert not run_axe(page)
