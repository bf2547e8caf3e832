"""The public feedback form, standard and easy read, by keyboard alone, checked with axe."""

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


def tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until `selector` has focus; the honeypot must never be reached on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert not page.evaluate("document.activeElement.id === 'id_website'"), "honeypot reached"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Could not reach {selector} with the Tab key")


def _no_sideways_scroll(page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px"
    page.set_viewport_size({"width": 1280, "height": 900})


def check_axe(page, new_page, javascript: bool) -> None:
    """axe needs JavaScript: without it, the same address is checked in a second browser tab."""
    if javascript:
        violations = run_axe(page)
    else:
        other = new_page()
        other.goto(page.url)
        violations = run_axe(other)
    assert not violations, violations


@pytest.mark.parametrize(
    ("easy_read", "javascript"),
    [(False, True), (True, True), (True, False)],
    ids=["standard", "easy-read", "easy-read-without-javascript"],
)
def test_public_form_by_keyboard(new_page, easy_read, javascript):
    from withpeople.feedback.models import Channel, Response, ReviewCycle

    load_demo()
    cycle = ReviewCycle.objects.get(slug="spring-2026")
    before = set(Response.objects.filter(cycle=cycle).values_list("pk", flat=True))
    page = new_page(javascript=javascript)
    path = f"/f/{cycle.public_code}/" + ("easy-read/" if easy_read else "")
    page.goto(path)
    check_axe(page, new_page, javascript)
    _no_sideways_scroll(page)

    # Sent with nothing answered: the error summary, and the page still passes axe.
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    assert page.locator("#id_answer-wi-i1_0").count() == 1
    if javascript:  # the error page is the answer to a POST, so it is checked where it is
        assert not run_axe(page), run_axe(page)
        # GOV.UK Frontend moves focus to the error summary so screen readers announce it.
        assert page.evaluate("document.activeElement.closest('.govuk-error-summary') !== null")

    page.goto(path)
    sent_token = page.input_value("input[name=token]")
    tab_to(page, "input[name='answer-wi-i1']")
    page.keyboard.press("Space")  # Always
    page.keyboard.press("ArrowDown")  # Mostly
    assert page.locator("#id_answer-wi-i1_1").is_checked()
    tab_to(page, "textarea[name='story-wellbeing-and-independence']")
    page.keyboard.type("I go to the allotment again.")
    tab_to(page, "input[name='perspective']")
    page.keyboard.press("Space")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/f/{cycle.public_code}/thanks/")
    assert "We have your answers" in page.content()
    check_axe(page, new_page, javascript)

    [new] = Response.objects.filter(cycle=cycle).exclude(pk__in=before)
    assert new.channel == (Channel.EASY_READ if easy_read else Channel.ONLINE)
    assert new.perspective == "lived_experience"
    assert dict(new.answers.values_list("statement__key", "answer")) == {"wi-i1": "mostly"}
    assert new.stories.get().text == "I go to the allotment again."

    # Going back gives a blank form with a new token: the answers are not put back, so they
    # cannot be sent twice (the same page sent twice is refused: see test_public_form.py).
    page.go_back()
    page.wait_for_load_state()
    assert page.url.endswith(path)
    assert page.input_value("input[name=token]") != sent_token
    assert not page.is_checked("#id_answer-wi-i1_1")
    assert page.input_value("textarea[name='story-wellbeing-and-independence']") == ""
    assert Response.objects.filter(cycle=cycle).exclude(pk__in=before).count() == 1


def test_closed_cycle_page_passes_axe(new_page):
    from withpeople.feedback.models import ReviewCycle

    load_demo()
    cycle = ReviewCycle.objects.get(slug="autumn-2025")
    page = new_page()
    page.goto(f"/f/{cycle.public_code}/easy-read/")
    assert "This form is not open" in page.content()
    assert not run_axe(page), run_axe(page)


def test_every_making_it_real_page_for_admins_passes_axe(new_page):
    """Staff and admin pages, including the import progress page and forms with errors."""
    from withpeople.feedback.models import ImportJob, ImportStatus, ReviewCycle
    from withpeople.feedback.services import default_framework

    load_demo()
    cycle = ReviewCycle.objects.get(slug="spring-2026")
    job = ImportJob.objects.create(
        organisation=cycle.organisation,
        cycle=cycle,
        status=ImportStatus.FAILED,
        errors=['line 3, column "answer": "often" is not an answer'],
    )
    base = "/o/example-council/making-it-real/"
    here = f"{base}cycles/{cycle.slug}/"
    framework = f"{base}frameworks/{default_framework().pk}/"
    pages = [
        base,
        here,
        here + "edit/",
        here + "close/",
        here + "poster/",
        here + f"imports/{job.pk}/",
        f"{base}frameworks/",
        framework,
        framework + "pictures/",
    ]
    page = new_page()
    sign_in(page, "admin@example.org", PASSWORD)
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        assert not run_axe(page), (path, run_axe(page))
        _no_sideways_scroll(page)
    for path in [
        f"{base}cycles/new/",
        here + "responses/new/",
        here + "imports/new/",
        f"{base}frameworks/new/",
        framework + "pictures/upload/?statement=wi-i1",
    ]:
        assert_form_errors_accessible(page, path)


def test_the_form_works_with_cookies_blocked_and_refuses_other_sites(new_page, live_server):
    """Nothing on the form needs a cookie; a form posted from elsewhere gets a kind page."""
    from withpeople.feedback.models import Response, ReviewCycle

    load_demo()
    cycle = ReviewCycle.objects.get(slug="spring-2026")
    before = Response.objects.filter(cycle=cycle).count()
    page = new_page()
    page.goto(f"/f/{cycle.public_code}/")
    assert page.context.cookies() == []
    token = page.input_value("input[name=token]")
    page.check("#id_answer-wi-i1_0")
    page.context.clear_cookies()
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/f/{cycle.public_code}/thanks/")
    assert Response.objects.filter(cycle=cycle).count() == before + 1

    # The same form posted from a page that is not ours (here, one with no address at all).
    other = new_page()
    other.set_content(
        f'<form method="post" action="{live_server.url}/f/{cycle.public_code}/">'
        f'<input name="token" value="{token}"><input name="answer-wi-i1" value="never">'
        "<button>Send</button></form>"
    )
    with other.expect_navigation():
        other.click("button")
    assert "Your answers were not sent" in other.content()
    assert not run_axe(other), run_axe(other)
    assert Response.objects.filter(cycle=cycle).count() == before + 1
