"""Improvement pages in Chromium: an action added by keyboard alone, and axe on every page.

The data is made here rather than by the demo, so these tests do not depend on the feedback
app's demo step.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_form_errors_accessible, run_axe, sign_in
from tests.browser.test_keyboard import tab_to
from withpeople.feedback.models import CycleStatus
from withpeople.improvement.models import Action, ActionStatus, Publication
from withpeople.improvement.tests.helpers import add_responses, make_cycle, statement
from withpeople.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cycle(organisation):
    cycle = make_cycle(organisation, "spring-2026", status=CycleStatus.OPEN)
    add_responses(
        cycle,
        {"wi-i1": "always", "wi-i2": "mostly", "ia-i1": "never"},
        count=6,
        perspective="lived_experience",
        story=("wellbeing-and-independence", "I choose how I spend my days now."),
    )
    add_responses(cycle, {"wi-i1": "rarely"}, count=2, perspective="carer")
    return cycle


@pytest.mark.parametrize("javascript", [True, False])
def test_add_an_action_by_keyboard(new_page, members, cycle, javascript):
    page = new_page(javascript=javascript)
    sign_in(page, members["staff"].user.email, PASSWORD)
    page.goto(f"/o/example/cycles/{cycle.slug}/actions/")
    tab_to(page, "a[href$='/actions/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/actions/new/")

    tab_to(page, "#id_title")
    page.keyboard.type("Ask what matters first")
    tab_to(page, "#id_statements_1")  # the second I statement
    page.keyboard.press("Space")
    tab_to(page, "input[name=owners]", limit=120)  # past the other statements
    page.keyboard.press("Space")
    tab_to(page, "#id_due_on")
    page.keyboard.type("31/3/2026")
    tab_to(page, "input[name=status]")
    assert page.locator("#id_status_0").is_checked()  # planned
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/actions/\d+/$"))

    action = Action.objects.get()
    assert action.title == "Ask what matters first"
    assert list(action.statements.all()) == [statement(cycle, "wi-i2")]
    assert action.owners.count() == 1
    assert action.due_on.isoformat() == "2026-03-31"
    assert "The action has been added." in page.content()
    if javascript:  # axe itself needs JavaScript
        assert not run_axe(page)


def test_publishing_without_an_explanation_is_refused_accessibly(new_page, members, cycle):
    action = Action.objects.create(cycle=cycle, title="Weekend advice line")
    action.statements.set([statement(cycle, "ia-i1")])
    action.owners.set([members["staff"]])
    page = new_page()
    sign_in(page, members["staff"].user.email, PASSWORD)
    page.goto(f"/o/example/cycles/{cycle.slug}/actions/{action.pk}/edit/")
    page.check(f"#id_status_{list(ActionStatus.values).index(ActionStatus.NOT_POSSIBLE)}")
    page.check("#id_published")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Say what changed, or why it was not possible" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert not run_axe(page)
    action.refresh_from_db()
    assert not action.published


def test_a_story_is_chosen_and_a_bad_date_refused_without_javascript(new_page, members, cycle):
    """The choose button and the publish page work with no JavaScript, and say what is wrong."""
    page = new_page(javascript=False)
    sign_in(page, members["staff"].user.email, PASSWORD)
    page.goto(f"/o/example/cycles/{cycle.slug}/results/")
    page.get_by_role("button", name=re.compile("^Choose for You said, we did")).first.click()
    page.wait_for_load_state()
    assert "The story has been chosen for You said, we did." in page.content()
    assert cycle.responses.filter(stories__chosen_for_publication=True).count() == 1

    page = new_page()
    sign_in(page, members["staff"].user.email, PASSWORD)
    page.goto(f"/o/example/cycles/{cycle.slug}/you-said-we-did/publish/")
    page.fill("#id_look_again_on", "2026-02-01")  # before the cycle starts
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert "must be the same as or after the start date" in summary.inner_text()
    assert page.evaluate("document.activeElement.closest('.govuk-error-summary') !== null")
    assert not run_axe(page), run_axe(page)
    assert not Publication.objects.filter(cycle=cycle).exists()


def test_improvement_pages_pass_axe_and_fit_320px(new_page, members, cycle):
    action = Action.objects.create(
        cycle=cycle,
        title="Start with what matters",
        status=ActionStatus.CHANGE_MADE,
        explanation="Forms now start with what matters.",
        published=True,
    )
    action.statements.set([statement(cycle, "wi-i2"), statement(cycle, "wi-we1")])
    action.owners.set([members["staff"], members["partner"]])
    Publication.objects.create(cycle=cycle)
    base = f"/o/example/cycles/{cycle.slug}"
    signed_in = [
        f"{base}/results/",
        f"{base}/results/report/",
        f"{base}/self-assessment/",
        f"{base}/self-assessment/wi-we1/",
        f"{base}/actions/",
        f"{base}/actions/{action.pk}/",
        f"{base}/actions/new/",
        f"{base}/actions/{action.pk}/edit/",
        f"{base}/actions/{action.pk}/delete/",
        f"{base}/you-said-we-did/preview/",
        f"{base}/you-said-we-did/publish/",
        f"{base}/you-said-we-did/unpublish/",
    ]
    public = [f"{base}/you-said-we-did/", f"{base}/you-said-we-did/easy-read/"]
    problems = []
    page = new_page()
    for path in public:
        problems += _check(page, path)
    sign_in(page, members["staff"].user.email, PASSWORD)
    for path in signed_in:
        problems += _check(page, path)
    assert not problems, "\n".join(problems)
    assert_form_errors_accessible(page, f"{base}/actions/new/")
    assert_form_errors_accessible(page, f"{base}/self-assessment/wi-we1/")


def _check(page, path: str) -> list[str]:
    problems = []
    response = page.goto(path)
    if response.status != 200:
        return [f"{path}: status {response.status}"]
    for violation in run_axe(page):
        problems.append(f"{path}: {violation['id']} ({violation['help']}) {violation['nodes']}")
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"{path}: scrolls sideways by {overflow}px at 320px wide")
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems
