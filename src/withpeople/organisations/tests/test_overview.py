"""The organisation's overview: what is waiting for each person, and a summary of the work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from withpeople.feedback.models import CycleStatus
from withpeople.groups import services as groups
from withpeople.groups.tests.access_cases import AGREEMENT
from withpeople.groups.tests.scale import add_rows, assert_queries_do_not_grow, base
from withpeople.improvement import services as improvement
from withpeople.improvement.models import ActionStatus
from withpeople.improvement.tests.helpers import add_responses, make_cycle
from withpeople.works import services as works

pytestmark = pytest.mark.django_db

URL = "/o/example/"
ACTION = {"description": "", "statements": [], "stories": [], "explanation": "", "published": False}


def _overview(client_for, membership) -> str:
    """The page's text, with runs of white space made one space."""
    response = client_for(membership).get(URL)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def _join(group, membership, perspective="lived_experience"):
    return groups.group_member_add(
        group=group,
        membership=membership,
        perspective=perspective,
        role="member",
        joined_on=dt.date(2026, 1, 5),
    )


def test_nothing_waiting_says_so(client_for, members):
    page = _overview(client_for, members["partner"])
    assert "Nothing is waiting for you just now." in page
    assert "No pieces of work yet." in page
    assert "No review cycles yet." in page


def test_an_open_check_in_waits_for_group_members_until_they_answer(
    client_for, members, organisation
):
    work = works.work_create(organisation=organisation, title="Carers' strategy", level="strategic")
    _join(work.group, members["partner"])
    checkin_round = works.checkin_round_open(work=work, name="Spring round")
    link = f"/o/example/works/{work.pk}/check-in/"

    page = _overview(client_for, members["partner"])
    assert link in page
    assert "Check-in round: Spring round" in page
    # Staff who are not in the group have nothing to check in to.
    assert link not in _overview(client_for, members["staff"])

    aspects = list(work.aspects.all())
    works.checkin_submit(
        checkin_round=checkin_round,
        membership=members["partner"],
        answers=dict.fromkeys(aspects, "consultation"),
    )
    assert link not in _overview(client_for, members["partner"])


def test_a_new_agreement_version_waits_until_the_member_agrees(client_for, members, organisation):
    group = groups.group_create(organisation=organisation, name="Carers' board")
    place = _join(group, members["partner"])
    version = groups.agreement_version_create(group=group, author=None, **AGREEMENT)

    page = _overview(client_for, members["partner"])
    assert "Read version 1 of the working agreement" in page
    assert f"/o/example/groups/{group.pk}/working-agreement/" in page
    assert "Read version 1" not in _overview(client_for, members["admin"])

    groups.agreement_consent_record(version=version, member=place)
    assert "Read version 1" not in _overview(client_for, members["partner"])


def test_actions_wait_for_their_owners_and_overdue_ones_say_so(client_for, members, organisation):
    cycle = make_cycle(organisation, "autumn-2025", status=CycleStatus.CLOSED)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    improvement.action_create(
        cycle=cycle,
        title="Rewrite the leaflets with people",
        **ACTION,
        owners=[members["partner"]],
        due_on=yesterday,
        status=ActionStatus.IN_PROGRESS,
    )
    improvement.action_create(
        cycle=cycle,
        title="Answer complaints within a week",
        **ACTION | {"explanation": "We now answer within five days."},
        owners=[members["partner"]],
        due_on=None,
        status=ActionStatus.CHANGE_MADE,
    )

    page = _overview(client_for, members["partner"])
    assert "Action you own: Rewrite the leaflets with people (in progress)" in page
    assert "Overdue" in page
    assert "Answer complaints within a week" not in page  # done: nothing left to do
    assert "Rewrite the leaflets" not in _overview(client_for, members["staff"])


def test_self_assessment_waits_for_everyone_while_the_cycle_is_open(
    client_for, members, organisation
):
    cycle = make_cycle(organisation, "spring-2026", status=CycleStatus.OPEN)
    add_responses(cycle, {"wi-i1": "always"}, count=3)

    page = _overview(client_for, members["partner"])
    assert "you have rated 0 of" in page
    assert "Spring 2026</a>" in page
    assert "is open for feedback" in page
    assert "3 responses so far." in page


def test_the_works_summary_counts_the_flags(client_for, members, organisation):
    for title in ("Carers' strategy", "Day services"):
        works.work_create(organisation=organisation, title=title, level="strategic")

    page = _overview(client_for, members["staff"])
    assert "There are 2 pieces of work. 2 of them have something to look at:" in page
    assert 'href="/o/example/works/?flag=no_evidence">No evidence yet</a>' in page


def test_another_organisations_member_gets_nothing(client_for, organisation, outsider):
    assert client_for(outsider).get(URL).status_code == 404


def test_nothing_of_another_organisation_shows(client_for, members, outsider):
    other = outsider.organisation
    work = works.work_create(organisation=other, title="Their secret plan", level="strategic")
    _join(work.group, outsider, perspective="manager")
    works.checkin_round_open(work=work, name="Their round")
    make_cycle(other, "their-cycle", status=CycleStatus.OPEN)

    page = _overview(client_for, members["admin"])
    assert "Their secret plan" not in page
    assert "Their Cycle" not in page
    assert "No pieces of work yet." in page


@pytest.mark.parametrize("role", ["partner", "staff", "admin"])
def test_queries_do_not_grow_with_groups_works_and_claims(
    role, organisation, members, client_for, django_assert_max_num_queries
):
    rows = base(organisation, members)
    assert_queries_do_not_grow(
        client_for(members[role]),
        URL,
        lambda: add_rows(organisation, members, rows, count=5),
        django_assert_max_num_queries,
    )


@pytest.mark.django_db(transaction=True)  # a new version is written once a change commits
def test_an_admins_works_summary_is_kept_and_shows_each_change_at_once(
    client_for, members, organisation
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = works.work_create(
        organisation=organisation, title="Carers' strategy", level="strategic"
    )
    works.work_create(organisation=organisation, title="Day services", level="strategic")
    client = client_for(members["admin"])
    assert "There are 2 pieces of work." in " ".join(client.get(URL).content.decode().split())
    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    assert not [q for q in captured.captured_queries if "works_workassessment" in q["sql"]]

    works.work_create(organisation=organisation, title="Housing", level="strategic")
    assert "There are 3 pieces of work." in _overview(client_for, members["admin"])
    works.work_update(work=first, title="Carers' strategy 2027", level="strategic")
    assert "Carers&#x27; strategy 2027</a>" in _overview(client_for, members["admin"])


@pytest.mark.django_db(transaction=True)
def test_storing_an_assessment_makes_a_new_version_of_the_figures(organisation):
    from withpeople.organisations.figures import figures_version
    from withpeople.works.assessments import assessments_refresh

    work = works.work_create(organisation=organisation, title="Housing", level="strategic")
    before = figures_version(organisation.pk)
    assessments_refresh(works=[work])
    assert figures_version(organisation.pk) not in (None, before)


def test_the_kept_evidence_pack_form_follows_the_day_and_the_organisation(
    client_for, members, outsider, monkeypatch
):
    page = _overview(client_for, members["admin"])
    today = timezone.localdate()
    assert f'name="to-year" type="text" inputmode="numeric" value="{today.year}"' in page
    assert 'action="/o/example/evidence-pack/"' in page

    tomorrow = today + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    page = _overview(client_for, members["admin"])
    assert (
        f'id="overview-to-day" name="to-day" type="text" inputmode="numeric" value="{tomorrow.day}"'
        in page
    )

    other = client_for(outsider).get(f"/o/{outsider.organisation.slug}/").content.decode()
    assert f'action="/o/{outsider.organisation.slug}/evidence-pack/"' in other
    assert 'action="/o/example/evidence-pack/"' not in other
