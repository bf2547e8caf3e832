"""The paged audit log and the download links pass axe, and work by keyboard at 320px."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_PASSWORD, load_demo, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = DEMO_PASSWORD


def _fits_320(page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_audit_log_filters_and_pages_accessibly(new_page):
    from withpeople.audit.kinds import AuditEventKind
    from withpeople.audit.services import audit_record
    from withpeople.organisations.models import Organisation

    load_demo()
    organisation = Organisation.objects.get(slug="example-council")
    for _ in range(60):
        audit_record(organisation=organisation, actor=None, action=AuditEventKind.VIEWED_RECEIPT)
    page = new_page()
    sign_in(page, "admin@example.org", PASSWORD)
    page.goto("/o/example-council/audit/")
    assert not run_axe(page), run_axe(page)
    _fits_320(page)
    # Filter by a kind's label, as someone using the form would, then go to the next page.
    page.select_option("#action", label="Receipt viewed")
    page.get_by_role("button", name="Filter").click()
    assert "action=viewed_receipt" in page.url
    assert page.locator("caption").inner_text().startswith("60 entries")
    page.get_by_role("link", name="Next page").click()
    assert "action=viewed_receipt" in page.url and "page=2" in page.url
    assert page.locator('.govuk-pagination [aria-current="page"]').inner_text() == "2"
    assert not run_axe(page), run_axe(page)
    _fits_320(page)


def test_the_cycle_page_download_links_name_what_they_download(new_page):
    load_demo()
    page = new_page()
    sign_in(page, "admin@example.org", PASSWORD)
    page.goto("/o/example-council/making-it-real/cycles/spring-2026/")
    for label in ("CSV of the answers", "Excel of the answers", "OpenDocument of the answers"):
        assert page.get_by_role("link", name=label).count() == 1, label
    assert not run_axe(page), run_axe(page)
    page.goto("/o/example-council/time-and-payments/finance-export/")
    assert page.get_by_label("OpenDocument spreadsheet (ODS)").count() == 1
