"""The values of co-production: the relationship over time and the values dashboards."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from withpeople.groups import services
from withpeople.groups.tests.access_cases import AGREEMENT
from withpeople.groups.tests.test_groups import D, activity, add, make_work
from withpeople.values import selectors
from withpeople.works.assessments import assessment_refresh
from withpeople.works.models import Decision

pytestmark = pytest.mark.django_db


# --- The relationship over time ----------------------------------------------------------------


def test_relationship_numbers(organisation, members, client_for, django_assert_max_num_queries):
    from withpeople.groups.models import Group

    work, aspect = make_work(organisation)
    pat = add(work.group, "Pat", membership=members["partner"], joined=D(2025, 1, 1))
    jo = add(work.group, "Jo", joined=D(2025, 3, 1), left=D(2025, 6, 30), contact="jo@x.org")
    activity(work, aspect, D(2025, 2, 1), [pat])
    activity(work, aspect, D(2025, 4, 1), [pat, jo])
    activity(work, aspect, D(2025, 5, 1), [pat])
    activity(work, aspect, D(2025, 8, 1), [pat])
    board = Group.objects.create(organisation=organisation, name="Board", kind="standing")
    add(board, "Pat", membership=members["partner"], joined=D(2024, 1, 1))
    add(board, "jo ", joined=D(2024, 1, 1), contact="JO@x.org")  # same name and contact
    add(board, "Jo", joined=D(2024, 1, 1), contact="another@x.org")  # another Jo

    result = selectors.relationships(organisation)
    by_group = {(h.member.group.name, h.member.name): h for h in result.members}
    assert (by_group[("Strategy", "Pat")].attended, by_group[("Strategy", "Pat")].held) == (4, 4)
    assert (by_group[("Strategy", "Jo")].attended, by_group[("Strategy", "Jo")].held) == (1, 2)
    assert by_group[("Board", "Pat")].held is None
    assert result.stayed == 4 and result.left == 1
    continuing = {p.name.casefold(): p for p in result.continuing}
    assert sorted(continuing) == ["jo", "pat"]
    assert sorted(h.member.contact for h in continuing["jo"].places) == ["JO@x.org", "jo@x.org"]
    this_year = dt.date.today().year
    assert result.by_year[0] == {"year": 2024, "joined": 3, "left": 0, "at_end": 3}
    assert result.by_year[1] == {"year": 2025, "joined": 2, "left": 1, "at_end": 4}
    assert result.by_year[-1]["year"] == this_year

    # More people and activities do not mean more queries.
    for n in range(15):
        extra = add(work.group, f"Person {n}", contact=f"p{n}@x.org")
        activity(work, aspect, D(2025, 9, 1), [extra, pat])
    client = client_for(members["partner"])
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("values:relationships", kwargs={"org_slug": organisation.slug})
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        client.get(
            reverse(
                "values:group-relationships",
                kwargs={"org_slug": organisation.slug, "pk": work.group.pk},
            )
        )


# --- The values dashboards ---------------------------------------------------------------------


def test_work_values_dashboard_numbers(organisation, members, client_for):
    work, aspect = make_work(organisation)
    pat = add(work.group, "Pat", membership=members["partner"], role="co_chair")
    carer = add(work.group, "Ann", "carer")
    front = add(work.group, "Dev", "frontline_staff")
    activity(work, aspect, D(2025, 2, 1), [pat, carer, front])
    activity(work, aspect, D(2025, 3, 1), [pat, front])
    for date, told in [
        (D(2025, 2, 1), D(2025, 2, 11)),
        (D(2025, 3, 1), D(2025, 3, 5)),
        (D(2025, 4, 1), None),
    ]:
        Decision.objects.create(
            work=work,
            aspect=aspect,
            date=date,
            summary="S",
            decided_by="jointly",
            feedback_given_on=told,
        )
    # Made directly, not through the services that store the assessment: store it here.
    assessment_refresh(work=work)
    dashboard = selectors.work_dashboard(work)
    assert dashboard["values"] == {
        "partner_share_percent": 60.0,
        "partner_chairs": True,
        "median_days_to_feedback": 4,
        "decisions_without_feedback": 1,
    }
    assert dashboard["frontline_took_part"] and not dashboard["back_office_took_part"]
    assert not dashboard["openness_published"] and not dashboard["agreement_published"]
    url = reverse("values:work-values", kwargs={"org_slug": organisation.slug, "work_id": work.pk})
    body = client_for(members["partner"]).get(url).content.decode()
    assert "60.0%" in body
    assert "2 of 3 decisions" in body
    assert "4 days" in body


def test_a_partner_chair_who_has_left_does_not_count(organisation, members, client_for):
    work, _aspect = make_work(organisation)
    add(work.group, "Ann", "carer", role="chair", left=D(2025, 6, 1))
    add(work.group, "Dev", "frontline_staff", role="chair")
    assert selectors.work_dashboard(work)["values"]["partner_chairs"] is False
    assert selectors.organisation_dashboard(organisation)["groups_with_partner_chair"] == 0
    url = reverse("values:work-values", kwargs={"org_slug": organisation.slug, "work_id": work.pk})
    body = client_for(members["partner"]).get(url).content.decode()
    chair_row = body.split("A partner chairs or co-chairs the group", 1)[1]
    assert re.search(r"font-weight-bold[^>]*>\s*No\s*<", chair_row[:300])
    add(work.group, "Pat", "lived_experience", role="co_chair")
    assert selectors.work_dashboard(work)["values"]["partner_chairs"] is True


def test_organisation_values_dashboard_numbers(organisation, members, client_for):
    from withpeople.groups.models import Group

    work, aspect = make_work(organisation)
    pat = add(work.group, "Pat", membership=members["partner"])
    back = add(work.group, "Bo", "back_office_staff")
    activity(work, aspect, D(2025, 2, 1), [pat, back])
    other, other_aspect = make_work(organisation, "Carers")
    front = add(other.group, "Dev", "frontline_staff", role="chair")
    activity(other, other_aspect, D(2025, 2, 1), [front])
    board = Group.objects.create(organisation=organisation, name="Board", kind="standing")
    add(board, "Ann", "carer", role="chair")
    services.agreement_version_create(group=board, author=None, **AGREEMENT)
    services.agreement_publish(agreement=board.agreement, published=True)
    dashboard = selectors.organisation_dashboard(organisation)
    assert dashboard["partner_share_percent"] == 33.3
    assert dashboard["places"] == 3
    assert (dashboard["groups"], dashboard["groups_with_partner_chair"]) == (3, 1)
    assert (dashboard["works"], dashboard["works_with_frontline"]) == (2, 1)
    assert dashboard["works_with_back_office"] == 1
    assert dashboard["agreements_published"] == 1
    assert dashboard["median_days_to_feedback"] is None
    body = (
        client_for(members["staff"])
        .get(reverse("values:values", kwargs={"org_slug": organisation.slug}))
        .content.decode()
    )
    assert "33.3%" in body
    assert "1 of 3 groups" in body


def test_the_values_dashboards_show_time_in_hours_and_minutes(organisation, members, client_for):
    from withpeople.recognition import services as recognition

    work, _aspect = make_work(organisation)
    pat = add(work.group, "Pat", membership=members["partner"])
    ann = add(work.group, "Ann", "carer")
    recognition.preference_set(member=pat, choice="decline")
    for member, minutes in [(pat, 600), (pat, 600), (pat, 600), (pat, 30), (ann, 450)]:
        recognition.time_record_create(
            organisation=organisation, member=member, date=D(2025, 2, 1), minutes=minutes
        )
    wanted = "30 hours 30 minutes of the 38 hours partners gave were recognised"
    client = client_for(members["staff"])
    kwargs = {"org_slug": organisation.slug}
    for url in (
        reverse("values:values", kwargs=kwargs),
        reverse("values:work-values", kwargs=kwargs | {"work_id": work.pk}),
    ):
        body = client.get(url).content.decode()
        assert wanted in body, url
        assert "30.5" not in body and "38.0" not in body
    # The same words as the time and payments page.
    overview = client.get(reverse("recognition:home", kwargs=kwargs)).content.decode()
    assert "(30 hours 30 minutes of 38 hours)" in overview
