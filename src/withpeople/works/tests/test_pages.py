"""Pieces of work on the web: planning from the top, evidence, access and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from withpeople.domain.work_record import PARTNER_PARTS
from withpeople.groups.models import GroupKind
from withpeople.testing.factories import OrganisationFactory
from withpeople.works import services
from withpeople.works.assessments import assessments_deferred
from withpeople.works.models import Activity, Aspect, Decision, Work

pytestmark = pytest.mark.django_db


def join(work, membership, perspective="lived_experience"):
    """Put a member of the organisation in the work's group: only then may they record."""
    return services.work_member_add(
        work=work, name=membership.user.name, perspective=perspective, membership=membership
    )


def url(work, name="detail", **kwargs):
    from django.urls import reverse

    return reverse(
        f"works:{name}", kwargs={"org_slug": work.organisation.slug, "pk": work.pk, **kwargs}
    )


def test_a_new_piece_of_work_has_its_group_and_starts_at_the_top(work):
    assert work.group.kind == GroupKind.WORK
    assert work.group.name == work.title
    aspects = list(work.aspects.order_by("position"))
    assert [a.key for a in aspects] == [
        "understanding",
        "designing",
        "deciding",
        "delivering",
        "reviewing",
    ]
    assert {a.intended_rung for a in aspects} == {"co-production"}


def test_staff_start_a_piece_of_work_and_bad_input_saves_nothing(django_app, members):
    page = django_app.get("/o/example/works/new/", user=members["staff"].user)
    form = page.forms[1]
    response = form.submit()
    assert "There is a problem" in response
    assert "Enter a title for the piece of work" in response
    assert "Select the level of the piece of work" in response
    assert not Work.objects.exists()
    form = response.forms[1]
    form["title"] = "Day opportunities"
    form["level"] = "service_design"
    form["starts_on"] = "1/4/2026"
    form["ends_on"] = "1/3/2026"
    response = form.submit()
    assert "The end date must be the same as or after the start date" in response
    assert not Work.objects.exists()
    form = response.forms[1]
    form["ends_on"] = "31/3/2027"
    response = form.submit().follow()
    work = Work.objects.get()
    assert work.title == "Day opportunities"
    assert work.starts_on == dt.date(2026, 4, 1)
    assert "Every aspect starts at co-production" in response


def test_stepping_down_needs_a_reason_and_says_so(client_for, members, work):
    client = client_for(members["staff"])
    aspect = work.aspects.get(key="deciding")
    page = client.get(url(work, "aspect-edit", aspect_pk=aspect.pk))
    assert "govuk-warning-text" in page.content.decode()
    assert "your organisation is stepping down" in page.content.decode()
    response = client.post(
        url(work, "aspect-edit", aspect_pk=aspect.pk),
        {"name": "Deciding", "intended_rung": "engagement"},
    )
    body = response.content.decode()
    assert "Select the reason for stepping down from co-production" in body
    assert "Explain in plain English why this aspect cannot be fully co-produced" in body
    aspect.refresh_from_db()
    assert aspect.intended_rung == "co-production"
    response = client.post(
        url(work, "aspect-edit", aspect_pk=aspect.pk),
        {
            "name": "Deciding",
            "intended_rung": "engagement",
            "reason_category": "statutory_decision",
            "reason_explanation": "Cabinet must approve the budget.",
            "change_reason": "Cabinet decides the budget",
        },
    )
    assert response.status_code == 302
    aspect.refresh_from_db()
    assert (aspect.intended_rung, aspect.reason_category) == ("engagement", "statutory_decision")
    # Back to the top: the old reason goes, so it is never published for nothing.
    client.post(
        url(work, "aspect-edit", aspect_pk=aspect.pk),
        {
            "name": "Deciding",
            "intended_rung": "co-production",
            "change_reason": "Cabinet agreed to share it",
        },
    )
    aspect.refresh_from_db()
    assert (aspect.reason_category, aspect.reason_explanation) == ("", "")


def test_aspects_are_added_moved_and_removed(client_for, members, work):
    client = client_for(members["staff"])
    client.post(url(work, "aspect-add"), {"name": "Choosing providers"})
    added = work.aspects.get(name="Choosing providers")
    assert added.key == "choosing-providers"
    assert added.intended_rung == "co-production"
    first = work.aspects.get(key="understanding")
    client.post(url(work, "aspect-move", aspect_pk=first.pk), {"direction": "down"})
    assert list(work.aspects.order_by("position").values_list("key", flat=True))[:2] == [
        "designing",
        "understanding",
    ]
    client.post(url(work, "aspect-move", aspect_pk=added.pk), {"direction": "up"})
    assert list(work.aspects.order_by("position").values_list("key", flat=True))[-2:] == [
        "choosing-providers",
        "reviewing",
    ]
    confirm = client.get(url(work, "aspect-remove", aspect_pk=added.pk))
    assert "Remove Choosing providers?" in confirm.content.decode()
    assert work.aspects.filter(pk=added.pk).exists()
    client.post(url(work, "aspect-remove", aspect_pk=added.pk))
    assert not work.aspects.filter(pk=added.pk).exists()


def test_a_piece_of_work_of_another_organisation_is_not_found(client_for, members, outsider):
    other = services.work_create(
        organisation=outsider.organisation, title="Elsewhere plan", level="strategic"
    )
    activity = services.activity_save(
        work=other, aspect=other.aspects.first(), date=dt.date(2026, 1, 1), kind="meeting"
    )
    client = client_for(members["admin"])
    for path in [
        f"/o/example/works/{other.pk}/",
        f"/o/example/works/{other.pk}/edit/",
        f"/o/example/works/{other.pk}/record.json",
        f"/o/example/works/{other.pk}/activities/{activity.pk}/",
        f"/o/example/works/{other.pk}/aspects/",
    ]:
        assert client.get(path).status_code == 404, path


def test_the_openness_statement_is_public_only_once_published(client, client_for, members, work):
    aspect = work.aspects.get(key="deciding")
    services.aspect_update(
        aspect=aspect,
        name="Deciding",
        intended_rung="consultation",
        reason_category="legal_duty",
        reason_explanation="Procurement law says officers award the contract.",
    )
    services.work_member_add(work=work, name="Bernadette", perspective="carer")
    openness = url(work, "openness")
    assert client.get(openness).status_code == 404
    for membership in members.values():
        assert client_for(membership).get(openness).status_code == 404
    services.work_publish(work=work)
    body = client.get(openness).content.decode()
    assert "Procurement law says officers award the contract." in body
    assert "A legal or regulatory duty" in body
    assert "Bernadette" not in body
    services.work_unpublish(work=work)
    assert client.get(openness).status_code == 404


def test_publishing_asks_first_and_only_staff_may(client_for, members, work):
    assert client_for(members["partner"]).post(url(work, "publish")).status_code == 403
    staff = client_for(members["staff"])
    assert "Publish the openness statement?" in staff.get(url(work, "publish")).content.decode()
    work.refresh_from_db()
    assert work.openness_published_at is None
    staff.post(url(work, "publish"))
    work.refresh_from_db()
    assert work.openness_published_at is not None


def test_the_overview_tags_a_published_work_in_one_short_word(client_for, members, work):
    services.work_publish(work=work)
    body = client_for(members["partner"]).get("/o/example/works/").content.decode()
    # "Published" fits a tag on one line at 320px; screen readers hear what was published.
    assert '<span class="govuk-visually-hidden">Openness statement </span>Published' in body


def test_a_partner_records_an_activity_that_moves_the_evidenced_rung(client_for, members, work):
    join(work, members["partner"])
    carer = services.work_member_add(work=work, name="Amir", perspective="carer")
    staff = services.work_member_add(work=work, name="Dev", perspective="frontline_staff")
    aspect = work.aspects.get(key="designing")
    client = client_for(members["partner"])
    response = client.post(url(work, "activity-add"), {"title": ""})
    body = response.content.decode()
    assert "Enter the date of the activity" in body
    assert "Select which aspect the activity was about" in body
    assert "Enter a title" not in body  # the title is optional
    assert not Activity.objects.exists()
    response = client.post(
        url(work, "activity-add"),
        {
            "title": "Options workshop",
            "date": "12/2/2026",
            "aspect": aspect.pk,
            "kind": "workshop",
            "participants": [carer.pk, staff.pk],
            "parts": ["views_sought"],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.views_sought and not activity.partners_delivered
    assert set(activity.participants.all()) == {carer, staff}
    page = client.get(url(work)).content.decode()
    assert "Partners&#x27; views were sought at 1 activity." in page
    # Change it, then delete it after confirming.
    client.post(
        url(work, "activity-edit", activity_pk=activity.pk),
        {
            "title": "Options workshop",
            "date": "12/2/2026",
            "aspect": aspect.pk,
            "kind": "workshop",
            "participants": [carer.pk],
            "parts": ["views_sought", "partners_generated_options"],
            "change_reason": "Staff did not take part after all",
        },
    )
    activity.refresh_from_db()
    assert activity.partners_generated_options
    assert list(activity.participants.all()) == [carer]
    client.get(url(work, "activity-withdraw", activity_pk=activity.pk))
    assert not Activity.objects.withdrawn().exists()
    refused = client.post(url(work, "activity-withdraw", activity_pk=activity.pk), {"reason": ""})
    assert "Say why you are withdrawing this" in refused.content.decode()
    assert not Activity.objects.withdrawn().exists()
    client.post(
        url(work, "activity-withdraw", activity_pk=activity.pk), {"reason": "Recorded twice"}
    )
    # Withdrawn, not deleted: it stays, shown as withdrawn, and can no longer be changed.
    activity.refresh_from_db()
    assert activity.withdrawn_reason == "Recorded twice"
    assert "Withdrawn" in client.get(url(work, "evidence")).content.decode()
    assert client.get(url(work, "activity-edit", activity_pk=activity.pk)).status_code == 404


def test_decisions_are_checked_before_saving(client_for, members, work):
    join(work, members["partner"])
    client = client_for(members["partner"])
    aspect = work.aspects.first()
    response = client.post(
        url(work, "decision-add"),
        {
            "summary": "Option B",
            "date": "10/3/2026",
            "aspect": aspect.pk,
            "decided_by": "jointly",
            "partner_input_changed_it": "on",
            "feedback_given_on": "1/3/2026",
        },
    )
    body = response.content.decode()
    assert "Say how partners&#x27; input changed the decision" in body
    assert "must be the same as or after the date decided" in body
    assert not Decision.objects.exists()
    client.post(
        url(work, "decision-add"),
        {
            "summary": "Option B",
            "date": "10/3/2026",
            "aspect": aspect.pk,
            "decided_by": "jointly",
            "feedback_given_on": "17/3/2026",
        },
    )
    decision = Decision.objects.get()
    assert decision.feedback_given_on == dt.date(2026, 3, 17)


def test_people_are_added_to_the_group_of_a_piece_of_work(client_for, members, work):
    client = client_for(members["staff"])
    response = client.post(url(work, "person-add"), {})
    assert "Enter the name the group knows them by" in response.content.decode()
    client.post(
        url(work, "person-add"),
        {
            "name": "Pat",
            "perspective": "lived_experience",
            "role": "co_chair",
            "membership": members["partner"].pk,
        },
    )
    member = work.group.members.get()
    assert (member.name, member.role, member.membership) == ("Pat", "co_chair", members["partner"])
    assert "Pat" in client.get(url(work, "people")).content.decode()


def _busy_work(organisation, title, size):
    with assessments_deferred():  # the assessment is stored once, when all is added
        return _add_busy_work(organisation, title, size)


def _add_busy_work(organisation, title, size):
    work = services.work_create(organisation=organisation, title=title, level="strategic")
    people = [
        services.work_member_add(work=work, name=f"P{i}", perspective="carer") for i in range(3)
    ]
    for aspect in work.aspects.all():
        for i in range(size):
            services.activity_save(
                work=work,
                aspect=aspect,
                date=dt.date(2026, 1, 1 + i),
                kind="meeting",
                participants=people,
                views_sought=True,
            )
            services.decision_save(
                work=work,
                aspect=aspect,
                date=dt.date(2026, 1, 1 + i),
                summary="S",
                decided_by="jointly",
            )
    return work


def test_the_record_of_a_piece_of_work_takes_a_fixed_number_of_queries(
    organisation, django_assert_max_num_queries
):
    from withpeople.works.selectors import work_record_for

    small = _busy_work(organisation, "Small", 1)
    big = _busy_work(organisation, "Big", 6)
    with django_assert_max_num_queries(7):
        record = work_record_for(big)
    assert len(record.activities) == 30
    with CaptureQueriesContext(connection) as small_queries:
        work_record_for(small)
    with CaptureQueriesContext(connection) as big_queries:
        work_record_for(big)
    assert len(small_queries) == len(big_queries)
    # The whole record (withpeople.work/2) adds leads, leads named in a record and rounds.
    with django_assert_max_num_queries(10):
        assert len(work_record_for(big, full=True).activities) == 30


def test_the_overview_query_count_does_not_grow_with_the_works(
    client_for, members, organisation, django_assert_max_num_queries
):
    client = client_for(members["staff"])
    _busy_work(organisation, "One", 2)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/o/example/works/").status_code == 200
    for n in range(4):
        _busy_work(organisation, f"More {n}", 2)
    with django_assert_max_num_queries(len(one)):
        response = client.get("/o/example/works/")
    assert response.content.decode().count('<table class="govuk-table">') == 5


def test_the_overview_filters_by_flag_and_level(client_for, members, organisation):
    client = client_for(members["staff"])
    services.work_create(organisation=organisation, title="Nothing yet", level="strategic")
    busy = _busy_work(organisation, "Busy individual", 1)
    busy.level = "individual"
    busy.save()
    busy.leads.add(members["staff"])  # one person's own support is seen only by its group
    body = client.get("/o/example/works/?level=individual").content.decode()
    assert "Busy individual" in body and "Nothing yet" not in body
    body = client.get("/o/example/works/?flag=no_evidence").content.decode()
    assert "Nothing yet" in body and "Busy individual" not in body
    body = client.get("/o/example/works/?flag=behind_plan").content.decode()
    assert "Busy individual" in body and "Nothing yet" not in body


def test_the_work_page_draws_the_ladder_with_a_caption_and_a_table(client_for, members, work):
    body = client_for(members["partner"]).get(url(work)).content.decode()
    assert 'role="img" aria-labelledby="ladder-caption-0"' in body
    assert 'id="ladder-caption-0"' in body
    assert "Understanding what matters: where it is" in body
    assert "No evidence yet" in body  # the flag's title
    assert "No frontline staff took part" in body  # a work flag


def test_the_work_record_downloads_as_json(client_for, members, work):
    response = client_for(members["partner"]).get(url(work, "export"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.json()["format"] == "withpeople.work/2"
    assert response.json()["title"] == "Carers' strategy"


def test_other_organisations_slug_does_not_reach_a_work(client_for, members):
    other = OrganisationFactory(slug="other", name="Other")
    work = services.work_create(organisation=other, title="Theirs", level="strategic")
    assert client_for(members["admin"]).get(f"/o/other/works/{work.pk}/").status_code == 404
    assert Aspect.objects.filter(work=work).count() == 5


def _imported_work(organisation):
    from withpeople.domain.tests.test_work_record import valid_record
    from withpeople.domain.work_record import parse_work_record

    data = valid_record()
    data["activities"][1]["kind"] = "drop-in"
    return services.work_import(organisation=organisation, record=parse_work_record(data))


def _activity_post(activity, **changes) -> dict:
    data = {
        "title": activity.title,
        "date": activity.date.strftime("%d/%m/%Y"),
        "aspect": activity.aspect_id,
        "kind": activity.kind,
        "participants": [p.pk for p in activity.participants.all()],
        "parts": [part for part in PARTNER_PARTS if getattr(activity, part)],
        "notes": activity.notes,
        "change_reason": "Corrected after the meeting",
    }
    return data | changes


def test_an_imported_activity_can_be_changed_without_inventing_a_title_or_kind(
    client_for, members, organisation
):
    work = _imported_work(organisation)
    join(work, members["partner"])
    activity = work.activities.get(kind="drop-in")
    assert activity.title == ""
    client = client_for(members["partner"])
    page = client.get(url(work, "activity-edit", activity_pk=activity.pk)).content.decode()
    assert 'value="drop-in" checked' in page
    response = client.post(
        url(work, "activity-edit", activity_pk=activity.pk),
        _activity_post(activity, parts=["views_sought"]),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.kind, activity.views_sought) == ("", "drop-in", True)
    # Only the activity's own kind is added: another made-up kind is still refused.
    response = client.post(
        url(work, "activity-edit", activity_pk=activity.pk), _activity_post(activity, kind="rave")
    )
    assert "Select a valid choice" in response.content.decode()
    other = work.activities.get(kind="workshop")
    response = client.post(
        url(work, "activity-edit", activity_pk=other.pk), _activity_post(other, kind="drop-in")
    )
    assert "Select a valid choice" in response.content.decode()
    activity.refresh_from_db()
    other.refresh_from_db()
    assert (activity.kind, other.kind) == ("drop-in", "workshop")


def test_text_with_a_nul_character_is_refused_on_the_web(client_for, members, organisation):
    work = _imported_work(organisation)
    work.leads.add(members["staff"])
    activity = work.activities.get(kind="workshop")
    for name, data in (
        ("activity-add", _activity_post(activity, title="Work\x00shop")),
        ("decision-add", {"summary": "Option\x00B", "date": "1/3/2026", "decided_by": "jointly"}),
        ("round-open", {"name": "Spring\x00"}),
    ):
        client = client_for(members["staff"])
        response = client.post(url(work, name), data)
        assert response.status_code == 200, name
        assert "Remove the control character U+0000" in response.content.decode(), name
    assert work.activities.count() == 2
    assert work.decisions.count() == 2
    assert not work.checkin_rounds.filter(name__startswith="Spring").exists()


def test_changing_or_withdrawing_evidence_is_in_the_audit_log(client_for, members, work):
    from withpeople.audit.models import AuditEvent

    carer = services.work_member_add(work=work, name="Amir", perspective="carer")
    aspect = work.aspects.get(key="designing")
    activity = services.activity_save(
        work=work,
        aspect=aspect,
        date=dt.date(2026, 2, 1),
        kind="workshop",
        title="Options workshop",
        participants=[carer],
        partners_generated_options=True,
    )
    shared = services.decision_save(
        work=work, aspect=aspect, date=dt.date(2026, 2, 2), summary="B", decided_by="jointly"
    )
    alone = services.decision_save(
        work=work,
        aspect=aspect,
        date=dt.date(2026, 2, 3),
        summary="Budget",
        decided_by="organisation_alone",
    )
    assert not AuditEvent.objects.exists()  # recording new evidence is not a change
    join(work, members["partner"])
    client = client_for(members["partner"])
    client.post(url(work, "activity-edit", activity_pk=activity.pk), _activity_post(activity))
    client.post(
        url(work, "activity-edit", activity_pk=activity.pk),
        _activity_post(activity, notes="Held at the library", date="2/2/2026"),
    )
    # Deleting the one decision the organisation made alone lifts the aspect to co-design.
    client.post(url(work, "decision-withdraw", decision_pk=alone.pk), {"reason": "Never made"})
    client.post(
        url(work, "decision-edit", decision_pk=shared.pk),
        {
            "summary": "B",
            "date": "2/2/2026",
            "aspect": aspect.pk,
            "decided_by": "organisation_alone",
            "change_reason": "The date was wrong",
        },
    )
    client.post(
        url(work, "activity-withdraw", activity_pk=activity.pk), {"reason": "Recorded twice"}
    )
    events = list(AuditEvent.objects.order_by("id"))
    assert [(e.action, e.subject_type, e.actor) for e in events] == [
        ("changed_activity", "works.activity", members["partner"].user),
        ("changed_activity", "works.activity", members["partner"].user),
        ("withdrew_decision", "works.decision", members["partner"].user),
        ("changed_decision", "works.decision", members["partner"].user),
        ("withdrew_activity", "works.activity", members["partner"].user),
    ]
    assert [e.subject_id for e in events] == [
        str(pk) for pk in (activity.pk, activity.pk, alone.pk, shared.pk, activity.pk)
    ]
    assert {e.organisation for e in events} == {work.organisation}
    details = [e.detail for e in events]
    assert details[0] == "No change. No evidenced rung moved."
    assert details[1] == "Changed: date, notes. No evidenced rung moved."
    assert details[2] == (
        "Withdrew a decision of 2026-02-03 about Designing options, made by: the organisation "
        "alone. The evidence for Designing options moved from engagement to co-design."
    )
    assert details[3] == (
        "Changed: who decided. "
        "The evidence for Designing options moved from co-design to consultation."
    )
    assert details[4].startswith("Withdrew the workshop of 2026-02-02 about Designing options.")
    assert "Held at the library" not in " ".join(details)  # names of fields, never their text


def test_removing_an_aspect_with_its_evidence_is_in_the_audit_log(client_for, members, work):
    from withpeople.audit.models import AuditEvent

    aspect = work.aspects.get(key="reviewing")
    services.decision_save(
        work=work, aspect=aspect, date=dt.date(2026, 2, 2), summary="B", decided_by="jointly"
    )
    client_for(members["staff"]).post(url(work, "aspect-remove", aspect_pk=aspect.pk))
    event = AuditEvent.objects.get()
    assert (event.action, event.subject_id, event.actor) == (
        "removed_aspect",
        str(aspect.pk),
        members["staff"].user,
    )
    assert event.detail == (
        "Removed the aspect Reviewing. Activities removed with it: 0. Decisions removed with it: 1."
    )


def test_each_rung_to_plan_for_has_its_plain_words_as_a_hint(client_for, members, work):
    from bs4 import BeautifulSoup

    from withpeople.domain.ladder import RUNGS

    aspect = work.aspects.get(key="deciding")
    page = client_for(members["staff"]).get(url(work, "aspect-edit", aspect_pk=aspect.pk))
    html = BeautifulSoup(page.content, "html.parser")
    items = html.select("input[name=intended_rung]")
    assert [i["value"] for i in items] == [r.slug for r in reversed(RUNGS)]
    for item, rung in zip(items, reversed(RUNGS), strict=True):
        hint = html.select_one(f"#{item['aria-describedby']}")
        assert hint.get_text(strip=True) == rung.summary
