"""Who recorded it, and every change kept (issue 10, part 2).

A partner in the group records an activity and a decision, corrects each with a reason and
withdraws each with a reason; the history page and the audit log then show every step, with
who and when. Someone outside the group can change or withdraw nothing, by form or API. Erasing
a person takes their name out of the history and leaves a trace. Withdrawn evidence no longer
counts, in the stored assessment as in a fresh one.
"""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from withpeople.accounts.services import api_token_create
from withpeople.audit.models import AuditEvent
from withpeople.organisations.models import Membership
from withpeople.privacy import services as privacy_services
from withpeople.testing.factories import MembershipFactory
from withpeople.works import services
from withpeople.works.assessments import assessment_differences
from withpeople.works.history import history_summary
from withpeople.works.models import Activity, Decision, Work
from withpeople.works.selectors import assessment_for
from withpeople.works.tests.test_pages import join, url

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = (TODAY - dt.timedelta(days=10)).strftime("%d/%m/%Y")


def _page(client, work, name="history", **kwargs) -> str:
    return html.unescape(client.get(url(work, name, **kwargs)).content.decode())


def _record_correct_and_withdraw(client, work) -> tuple[Activity, Decision]:
    aspect = work.aspects.get(key="designing")
    activity_form = {
        "title": "Options workshop",
        "date": DAY,
        "aspect": aspect.pk,
        "kind": "workshop",
        "parts": ["views_sought"],
    }
    assert client.post(url(work, "activity-add"), activity_form).status_code == 302
    activity = Activity.objects.get()
    # A change without a reason is refused, and changes nothing.
    refused = client.post(
        url(work, "activity-edit", activity_pk=activity.pk),
        activity_form | {"title": "Options workshop with carers"},
    )
    assert "Say why you are changing this" in refused.content.decode()
    activity.refresh_from_db()
    assert activity.title == "Options workshop"
    assert (
        client.post(
            url(work, "activity-edit", activity_pk=activity.pk),
            activity_form
            | {"title": "Options workshop with carers", "change_reason": "Carers ran it"},
        ).status_code
        == 302
    )
    decision_form = {
        "summary": "We chose option B.",
        "date": DAY,
        "aspect": aspect.pk,
        "decided_by": "organisation_alone",
    }
    assert client.post(url(work, "decision-add"), decision_form).status_code == 302
    decision = Decision.objects.get()
    assert (
        client.post(
            url(work, "decision-edit", decision_pk=decision.pk),
            decision_form | {"decided_by": "jointly", "change_reason": "Decided with partners"},
        ).status_code
        == 302
    )
    for name, kwargs, reason in (
        ("activity-withdraw", {"activity_pk": activity.pk}, "Recorded on the wrong work"),
        ("decision-withdraw", {"decision_pk": decision.pk}, "The decision was reversed"),
    ):
        assert client.post(url(work, name, **kwargs), {"reason": reason}).status_code == 302
    activity.refresh_from_db()
    decision.refresh_from_db()
    return activity, decision


def test_record_correct_and_withdraw_then_find_it_all_in_the_history_and_the_audit_log(
    client_for, members, work
):
    partner = members["partner"]
    join(work, partner)
    client = client_for(partner)
    activity, decision = _record_correct_and_withdraw(client, work)
    name = partner.user.name

    # Kept, not deleted, and shown as withdrawn with who, when and why.
    assert activity.is_withdrawn and decision.is_withdrawn
    assert activity.recorded_by == partner and activity.withdrawn_by == partner
    evidence = _page(client, work, "evidence")
    assert "Withdrawn by " + name in evidence
    assert "Why: The decision was reversed" in evidence
    assert "Recorded by " + name in evidence

    # The history: every step, newest first, with who, when, why and old beside new.
    page = _page(client, work)
    for text in (
        "Carers ran it",
        "Decided with partners",
        "Recorded on the wrong work",
        "The decision was reversed",
        "Options workshop with carers",
        "The organisation alone",
    ):
        assert text in page, text
    assert page.count(name) >= 6  # recorded, changed and withdrawn, twice
    when = timezone.localtime(activity.withdrawn_at).strftime("%-d %B %Y")
    assert when in page
    steps = [page.index(reason) for reason in ("The decision was reversed", "Carers ran it")]
    assert steps == sorted(steps), "newest first"

    # The audit log: the change and the withdrawal of each, by the partner.
    events = AuditEvent.objects.filter(subject_type__in=["works.activity", "works.decision"])
    assert sorted(events.values_list("action", "actor")) == sorted(
        [
            ("changed_activity", partner.user.pk),
            ("withdrew_activity", partner.user.pk),
            ("changed_decision", partner.user.pk),
            ("withdrew_decision", partner.user.pk),
        ]
    )
    log = html.unescape(
        client_for(members["admin"])
        .get(reverse("privacy:audit-log", kwargs={"org_slug": work.organisation.slug}))
        .content.decode()
    )
    for label in (
        "Activity changed",
        "Activity withdrawn",
        "Decision changed",
        "Decision withdrawn",
    ):
        assert label in log
    assert name in log

    # The summary the evidence pack uses.
    summary = history_summary(work)
    assert (summary.changes, summary.withdrawals) == (2, 2)
    assert summary.by_whom[name] == 6
    assert history_summary(Work.objects.filter(pk=work.pk), start=TODAY, end=TODAY) == summary
    later = history_summary(work, start=TODAY + dt.timedelta(days=1))
    assert (later.records, later.changes, later.withdrawals) == (0, 0, 0)


def test_withdrawn_evidence_no_longer_counts_in_the_stored_or_a_fresh_assessment(work, members):
    partner = join(work, members["partner"])
    aspect = work.aspects.get(key="deciding")
    day = TODAY - dt.timedelta(days=3)
    services.activity_save(
        work=work,
        aspect=aspect,
        date=day,
        kind="workshop",
        participants=[partner],
        partners_generated_options=True,
    )
    alone = services.decision_save(
        work=work, aspect=aspect, date=day, summary="Budget", decided_by="organisation_alone"
    )
    before = assessment_for(work)
    services.decision_withdraw(decision=alone, actor=None, reason="It was never made")
    after = assessment_for(work)
    assert before != after
    # As if the decision had never been recorded, and the stored assessment agrees.
    alone.delete()
    assert assessment_for(work) == after
    assert assessment_differences(works=[work]) == []


def _api(membership) -> dict:
    _token, raw = api_token_create(user=membership.user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_by_the_api_the_group_corrects_and_withdraws_and_nobody_else_can(client, work, members):
    partner = join(work, members["partner"])
    outside = MembershipFactory(organisation=work.organisation, role="staff")
    aspect = work.aspects.get(key="designing")
    day = TODAY - dt.timedelta(days=3)
    activity = services.activity_save(
        work=work, aspect=aspect, date=day, kind="workshop", participants=[partner]
    )
    decision = services.decision_save(
        work=work, aspect=aspect, date=day, summary="B", decided_by="jointly"
    )
    base = f"/api/v1/organisations/{work.organisation.slug}/works/{work.pk}"
    targets = [f"{base}/activities/{activity.pk}", f"{base}/decisions/{decision.pk}"]
    body = {"reason": "Corrected by the API", "title": "Renamed", "summary": "C"}
    headers = _api(outside)
    for target in targets:
        for send in (client.patch, client.delete):
            response = send(target, body, content_type="application/json", **headers)
            assert response.status_code == 403, (target, send)
    activity.refresh_from_db()
    decision.refresh_from_db()
    assert (activity.title, activity.is_withdrawn) == ("", False)
    assert (decision.summary, decision.is_withdrawn) == ("B", False)

    headers = _api(members["partner"])
    refused = client.patch(
        targets[0], {"title": "Renamed"}, content_type="application/json", **headers
    )
    assert refused.status_code == 422
    refused = client.patch(
        targets[0], {"title": "Renamed", "reason": ""}, content_type="application/json", **headers
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == ["change_reason: Say why you are changing this"]
    for target in targets:
        # An aspect the piece of work does not have: the documented 422, one line per problem.
        unknown = client.patch(
            target,
            {"reason": "Moved to another aspect", "aspect": "no-such-aspect"},
            content_type="application/json",
            **headers,
        )
        assert unknown.status_code == 422
        assert unknown.json()["errors"] == [
            "aspect: Give the key of an aspect of this piece of work."
        ]
    for target in targets:
        changed = client.patch(target, body, content_type="application/json", **headers)
        assert changed.status_code == 200, changed.content
        withdrawn = client.delete(
            target, {"reason": "Withdrawn by the API"}, content_type="application/json", **headers
        )
        assert withdrawn.json()["withdrawn"] is True
    activity.refresh_from_db()
    decision.refresh_from_db()
    assert (activity.title, decision.summary) == ("Renamed", "C")
    assert activity.withdrawn_reason == decision.withdrawn_reason == "Withdrawn by the API"

    history = client.get(f"{base}/history", **headers).json()
    assert (history["changes"], history["withdrawals"]) == (2, 2)
    reasons = [entry["why"] for entry in history["entries"]]
    assert reasons.count("Corrected by the API") == 2
    assert reasons.count("Withdrawn by the API") == 2
    titles = [
        difference
        for entry in history["entries"]
        for difference in entry["differences"]
        if difference["field"] == "title" and entry["what"] == "Activity"
    ]
    assert [(d["old"], d["new"]) for d in titles] == [("(empty)", "Renamed")]


def test_erasing_a_person_takes_their_name_out_of_the_history_and_says_so(
    client_for, members, work
):
    partner = members["partner"]
    join(work, partner)
    _record_correct_and_withdraw(client_for(partner), work)
    name = partner.user.name
    reader = client_for(members["staff"])
    assert name in _page(reader, work)

    privacy_services.person_erase(membership=partner, actor=members["admin"].user)
    assert not Membership.objects.filter(pk=partner.pk).exists()
    page = _page(reader, work)
    assert name not in page
    assert "Personal data erased" in page
    # What was changed, when and why stays.
    assert "The decision was reversed" in page
    for model in (Activity, Decision):
        assert not model.history.filter(history_user_id=partner.user_id).exists()
        assert model.history.filter(personal_data_erased=True).exists()
    summary = history_summary(work)
    assert name not in summary.by_whom
    assert summary.withdrawals == 2


def test_a_page_of_history_costs_the_same_however_long_the_history(client_for, members, work):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partner = join(work, members["partner"])
    aspect = work.aspects.first()
    day = TODAY - dt.timedelta(days=3)

    def record(count: int) -> None:
        for number in range(count):
            activity = services.activity_save(
                work=work, aspect=aspect, date=day, kind="meeting", participants=[partner]
            )
            services.activity_save(
                work=work,
                aspect=aspect,
                date=day,
                kind="meeting",
                title=f"Meeting {number}",
                activity=activity,
                actor=members["partner"].user,
                change_reason="Named the meeting",
            )

    client = client_for(members["staff"])
    record(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(work, "history")).status_code == 200
    record(20)
    with CaptureQueriesContext(connection) as many:
        page = _page(client, work)
    # At most two queries a table whatever the number of entries: never more for a longer one.
    assert len(many) <= len(few)
    assert "Meeting 19" in page and "Meeting 0" not in page  # 25 a page, newest first


def test_evidence_recorded_before_who_and_when_were_kept_says_so(client_for, members, work):
    aspect = work.aspects.first()
    activity = services.activity_save(
        work=work, aspect=aspect, date=TODAY - dt.timedelta(days=1), kind="meeting"
    )
    # As the migration leaves what was recorded before: no made-up time, nobody named.
    Activity.objects.filter(pk=activity.pk).update(recorded_at=None, recorded_by=None)
    page = _page(client_for(members["staff"]), work, "evidence")
    assert "Recorded before WithPeople kept who recorded it and when." in page
