"""The evidence pack pages in the browser: axe finds nothing, and they fit a 320 px screen."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser.conftest import run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-for-tests"
PERIOD = "?from-day=1&from-month=1&from-year=2025&to-day=1&to-month=12&to-year=2026"


def test_the_evidence_pack_pages_pass_axe(new_page):
    from withpeople.works.models import Work

    call_command("demo", "--force", "--password", PASSWORD, verbosity=0)
    work = max(
        Work.objects.filter(organisation__slug="example-council"),
        key=lambda w: w.activities.count() + w.decisions.count(),
    )
    page = new_page()
    sign_in(page, "staff@example.org", PASSWORD)
    for path in [
        f"/o/example-council/works/{work.pk}/evidence-pack/",
        "/o/example-council/evidence-pack/" + PERIOD,
        "/o/example-council/evidence-pack/" + PERIOD.replace("from-month=1", "from-month="),
    ]:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(path)
        violations = run_axe(page)
        assert not violations, (path, violations)
        page.set_viewport_size({"width": 320, "height": 800})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        wide = page.evaluate(
            """[...document.querySelectorAll('main *')].filter(e => {
                const box = e.getBoundingClientRect();
                return box.right > document.documentElement.clientWidth + 1
                    && !e.closest('.wp-table-wrapper');
            }).slice(0, 5).map(e => e.tagName + '.' + e.className)"""
        )
        assert overflow <= 0, (path, overflow, wide)
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
