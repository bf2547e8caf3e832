"""Time and payments in the browser: an expense claim with a receipt, by keyboard alone."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    DEMO_PASSWORD,
    assert_form_errors_accessible,
    load_demo,
    run_axe,
    sign_in,
)
from tests.browser.test_keyboard import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = DEMO_PASSWORD
ORG = "/o/example-council"


@pytest.mark.parametrize("javascript", [True, False])
def test_a_partner_claims_an_expense_with_a_receipt_by_keyboard(new_page, tmp_path, javascript):
    from withpeople.recognition.models import ExpenseClaim
    from withpeople.recognition.receipts import TINY_PNG

    load_demo()
    before = set(ExpenseClaim.objects.values_list("pk", flat=True))
    receipt = tmp_path / "bus-ticket.png"
    receipt.write_bytes(TINY_PNG)

    page = new_page(javascript=javascript)
    sign_in(page, "partner@example.org", PASSWORD)
    page.goto(f"{ORG}/")
    tab_to(page, "a[href$='/time-and-payments/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/time-and-payments/")
    assert page.locator("h1").inner_text() == "Your time and payments"
    tab_to(page, "a[href$='/claims/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/claims/new/")

    tab_to(page, "input[name=member]")
    if not page.evaluate("document.activeElement.checked"):
        page.keyboard.press("Space")
    tab_to(page, "input[name=category]")
    page.keyboard.press("Space")  # the first category: Travel, up to £30, receipt needed
    assert page.locator("#id_category_0").is_checked()
    tab_to(page, "#id_date")
    page.keyboard.type("2/3/2026")
    tab_to(page, "#id_description")
    page.keyboard.type("Bus to the workshop and back")
    tab_to(page, "#id_amount")
    page.keyboard.type("£6.80")
    tab_to(page, "#id_receipt")
    # The operating system's file chooser is not part of the page: hand it the file.
    page.locator("#id_receipt").set_input_files(str(receipt))
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/claims/\d+/$"))

    assert "Your claim for £6.80 has been sent for approval." in page.content()
    claim = ExpenseClaim.objects.exclude(pk__in=before).get()
    assert str(claim.amount) == "6.80"
    assert claim.receipt_content_type == "image/png"
    assert page.locator("a[href$='/receipt/']").count() == 1
    if javascript:  # axe itself needs JavaScript
        assert run_axe(page) == []


def test_the_claim_form_with_errors_is_accessible(new_page):
    load_demo()
    page = new_page()
    sign_in(page, "partner@example.org", PASSWORD)
    assert_form_errors_accessible(page, f"{ORG}/time-and-payments/claims/new/")
    assert "Enter the amount in pounds and pence" in page.content()


def test_a_refused_receipt_is_explained(new_page, tmp_path):
    from withpeople.recognition.models import ExpenseClaim

    load_demo()
    count = ExpenseClaim.objects.count()
    fake = tmp_path / "receipt.png"
    fake.write_bytes(b"this is not a picture")
    page = new_page()
    sign_in(page, "partner@example.org", PASSWORD)
    page.goto(f"{ORG}/time-and-payments/claims/new/")
    page.locator("input[name=member]").first.check()
    page.locator("#id_category_0").check()
    page.fill("#id_date", "2/3/2026")
    page.fill("#id_description", "Bus")
    page.fill("#id_amount", "5")
    page.locator("#id_receipt").set_input_files(str(fake))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert "The receipt must be a PDF, PNG or JPEG file" in summary.inner_text()
    assert ExpenseClaim.objects.count() == count
    assert run_axe(page) == []
