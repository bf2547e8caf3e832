"""Diversity monitoring in the browser: consent and answers by keyboard alone, accessible errors."""

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
CONSENT = "/o/example-council/your-data/diversity/consent/"


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Could not reach {selector} with the Tab key")


def test_consent_form_errors_are_accessible(new_page):
    load_demo()
    page = new_page()
    sign_in(page, "partner@example.org", PASSWORD)
    assert_form_errors_accessible(page, CONSENT)
    assert "Tick the box to say you agree" in page.content()


@pytest.mark.parametrize("javascript", [True, False])
def test_consent_and_answer_by_keyboard(new_page, javascript):
    from withpeople.diversity.models import DiversityAnswer, DiversityConsent

    load_demo()
    page = new_page(javascript=javascript)
    sign_in(page, "partner@example.org", PASSWORD)
    page.goto("/o/example-council/")

    tab_to(page, "a[href$='/your-data/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/your-data/")
    tab_to(page, "a[href$='/your-data/diversity/consent/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/diversity/consent/")
    if javascript:
        assert not run_axe(page)

    tab_to(page, "#id_agree")
    page.keyboard.press("Space")
    assert page.locator("#id_agree").is_checked()
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/your-data/diversity/")
    assert DiversityConsent.objects.filter(membership__user__email="partner@example.org").exists()

    # Each question is a group of radios: Tab into it, arrows move and choose.
    radios = page.locator("main input[type=radio]")
    names = []
    for i in range(radios.count()):
        name = radios.nth(i).get_attribute("name")
        if name not in names:
            names.append(name)
    for name in names:
        tab_to(page, f"input[name={name}]")
        page.keyboard.press("Space")
    last = names[-1]
    page.keyboard.press("ArrowUp")  # from the first answer up to "Prefer not to say"
    assert page.locator(f"input[name={last}][value=prefer_not_to_say]").is_checked()
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/your-data/")
    assert "Your answers have been saved" in page.content()
    answers = DiversityAnswer.objects.filter(membership__user__email="partner@example.org")
    assert answers.count() == len(names)
    assert answers.filter(option__isnull=True).count() == 1
