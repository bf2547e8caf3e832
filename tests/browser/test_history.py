"""The history of a piece of work in the browser: readable at 320 px, and accessible (axe), with
the withdrawal form's error state accessible too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_form_errors_accessible, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_history_page_and_the_withdrawal_form_pass_axe(new_page):
    from withpeople.testing.factories import PASSWORD, MembershipFactory, OrganisationFactory
    from withpeople.works import services

    organisation = OrganisationFactory(slug="history-council", name="History Council")
    partner = MembershipFactory(organisation=organisation, role="partner")
    work = services.work_create(organisation=organisation, title="Day services", level="strategic")
    member = services.work_member_add(
        work=work, name=partner.user.name, perspective="carer", membership=partner
    )
    aspect = work.aspects.first()
    day = timezone.localdate() - dt.timedelta(days=2)
    activity = services.activity_save(
        work=work, aspect=aspect, date=day, kind="workshop", participants=[member]
    )
    services.activity_save(
        work=work,
        aspect=aspect,
        date=day,
        kind="meeting",
        title="Options meeting",
        participants=[member],
        activity=activity,
        actor=partner.user,
        change_reason="It was a meeting, not a workshop",
    )
    decision = services.decision_save(
        work=work, aspect=aspect, date=day, summary="Option B", decided_by="jointly"
    )
    services.decision_withdraw(decision=decision, actor=partner.user, reason="Recorded twice")
    base = f"/o/{organisation.slug}/works/{work.pk}/"

    page = new_page(width=320)
    sign_in(page, partner.user.email, PASSWORD)
    page.goto(base + "history/")
    assert page.locator("h1").inner_text() == "History"
    assert page.get_by_text("It was a meeting, not a workshop").is_visible()
    assert page.get_by_text("Recorded twice").first.is_visible()
    violations = run_axe(page)
    assert not violations, violations
    assert_form_errors_accessible(page, base + f"activities/{activity.pk}/withdraw/")
