"""Pieces of work in the browser: recording evidence and checking in by keyboard alone, and the
error states of the main forms."""

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
CARERS = "Redesigning the carers' assessment"


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Could not reach {selector} with the Tab key")


def _work_path(title: str) -> str:
    from withpeople.works.models import Work

    work = Work.objects.get(organisation__slug="example-council", title=title)
    return f"/o/example-council/works/{work.pk}/"


@pytest.mark.parametrize("javascript", [True, False])
def test_a_partner_records_an_activity_and_checks_in_by_keyboard(new_page, javascript):
    from django.db.models import Sum

    from withpeople.works.models import Activity, CheckinTally

    def answers() -> int:
        return CheckinTally.objects.aggregate(total=Sum("count"))["total"] or 0

    load_demo()
    work_path = _work_path(CARERS)
    before = Activity.objects.count()
    page = new_page(javascript=javascript)
    sign_in(page, "partner@example.org", PASSWORD)
    page.goto(work_path)

    tab_to(page, "main a[href$='/activities/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/activities/new/")
    tab_to(page, "#id_title")
    page.keyboard.type("Kitchen-table conversation")
    tab_to(page, "#id_date")
    page.keyboard.type("14/3/2026")
    tab_to(page, "input[name=aspect]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=kind]")
    page.keyboard.press("Space")
    tab_to(page, "#id_participants_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_parts_2")
    page.keyboard.press("Space")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/evidence/")
    assert "The activity has been saved." in page.content()
    activity = Activity.objects.get(title="Kitchen-table conversation")
    assert activity.views_sought
    assert activity.participants.count() == 1
    assert Activity.objects.count() == before + 1

    page.goto(work_path)
    tab_to(page, "main a[href$='/check-in/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/check-in/")
    answers_before = answers()
    for index in range(5):
        tab_to(page, f"#{_first_radio(page, index)}")
        page.keyboard.press("Space")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{work_path}")
    assert "Your check-in has been recorded without your name" in page.content()
    assert answers() == answers_before + 5

    if javascript:  # axe itself needs JavaScript
        violations = run_axe(page)
        assert not violations, violations


def _first_radio(page, index: int) -> str:
    """The id of the first radio button of the index-th question."""
    return page.evaluate(
        "(i) => document.querySelectorAll('main fieldset')[i].querySelector('input').id", index
    )


ERROR_STATES = [
    ("staff", "/o/example-council/works/new/"),
    ("staff", "/o/example-council/works/import/"),
    ("partner", "{work}activities/new/"),
    ("partner", "{work}decisions/new/"),
    ("staff", "{work}people/new/"),
    ("partner", "{work}check-in/"),
]


@pytest.mark.parametrize(("role", "path"), ERROR_STATES)
def test_work_forms_with_errors_pass_axe(role, path, new_page):
    load_demo()
    page = new_page()
    sign_in(page, f"{role}@example.org", PASSWORD)
    assert_form_errors_accessible(page, path.format(work=_work_path(CARERS)))


def test_the_work_pages_pass_axe(new_page):
    load_demo()
    page = new_page()
    sign_in(page, "staff@example.org", PASSWORD)
    work_path = _work_path("Learning disability strategy 2026\N{EN DASH}2030")
    for path in [
        "/o/example-council/works/",
        "/o/example-council/works/?flag=overclaim&level=",
        work_path,
        work_path + "openness/",
        work_path + "aspects/",
        work_path + "people/",
        work_path + "evidence/",
        work_path + "check-in/rounds/",
        work_path + "edit/",
    ]:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(path)
        violations = run_axe(page)
        assert not violations, (path, violations)
        page.set_viewport_size({"width": 320, "height": 800})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways at 320px"
