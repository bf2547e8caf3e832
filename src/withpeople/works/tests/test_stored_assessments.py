"""Stored assessments equal freshly computed ones after every kind of change, on either database.

Each test makes one kind of change through its service and checks both that the stored
assessment moved the way the change should move it (so a service that forgot to store it
fails) and that it equals a fresh computation (`assessment_differences`).
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from withpeople.domain import work_record as wr
from withpeople.domain.assessment import assess
from withpeople.groups import services as group_services
from withpeople.privacy import services as privacy_services
from withpeople.testing.factories import MembershipFactory
from withpeople.works import services
from withpeople.works.assessments import (
    FLAG_FIELDS,
    assessment_differences,
    assessment_refresh,
    assessments_deferred,
)
from withpeople.works.models import (
    Activity,
    AspectAssessment,
    Decision,
    Work,
    WorkAssessment,
)
from withpeople.works.selectors import work_record_for
from withpeople.works.tests.test_checkins import _people

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def stored(work: Work) -> dict:
    """The stored assessment, after checking it equals a fresh one in every column."""
    assert assessment_differences(works=[work]) == []
    row = WorkAssessment.objects.get(work=work)
    assert row.assessment == json.loads(json.dumps(assess(work_record_for(work))))
    return row.assessment


def aspect_of(assessment: dict, key: str) -> dict:
    return next(a for a in assessment["aspects"] if a["key"] == key)


def _activity(work, member=None, **parts):
    return services.activity_save(
        work=work,
        aspect=work.aspects.get(key="designing"),
        date=DAY,
        kind="workshop",
        participants=[member] if member else [],
        **parts,
    )


def test_every_flag_has_a_column():
    from withpeople.domain.assessment import ASPECT_FLAGS, WORK_FLAGS

    assert set(FLAG_FIELDS) == set(ASPECT_FLAGS) | set(WORK_FLAGS)
    for field in FLAG_FIELDS.values():
        assert WorkAssessment._meta.get_field(field).db_index


def test_a_new_piece_of_work_is_stored_with_no_evidence(work):
    assessment = stored(work)
    assert [a["key"] for a in assessment["aspects"]] == [
        "understanding",
        "designing",
        "deciding",
        "delivering",
        "reviewing",
    ]
    row = WorkAssessment.objects.get(work=work)
    assert row.flag_no_evidence and row.has_flags and row.lowest_evidenced_position is None
    assert AspectAssessment.objects.filter(work=work, evidenced="").count() == 5


def test_changing_the_piece_of_work(work):
    services.work_update(work=work, title="Carers' plan", level="service_design")
    assert stored(work)["aspects"]


def test_adding_moving_changing_and_removing_aspects(work):
    aspect = services.aspect_add(work=work, name="Paying people")
    assert aspect_of(stored(work), aspect.key)["intended"] == "co-production"

    services.aspect_update(
        aspect=aspect,
        name="Paying people",
        intended_rung="engagement",
        reason_category="legal_duty",
        reason_explanation="The law sets the rates.",
    )
    assert aspect_of(stored(work), aspect.key)["intended"] == "engagement"
    assert AspectAssessment.objects.get(aspect=aspect).intended == "engagement"

    services.aspect_move(aspect=aspect, up=True)
    assert [a["key"] for a in stored(work)["aspects"]][-2] == aspect.key

    services.aspect_remove(aspect=aspect)
    assert aspect.key not in [a["key"] for a in stored(work)["aspects"]]


def test_evidence_added_changed_and_deleted(work):
    partner = services.work_member_add(work=work, name="Ann", perspective="carer")
    activity = _activity(work, partner, views_sought=True)
    assert aspect_of(stored(work), "designing")["evidenced"] == "consultation"
    assert WorkAssessment.objects.get(work=work).lowest_evidenced_position is not None

    decision = services.decision_save(
        work=work,
        aspect=activity.aspect,
        date=DAY,
        summary="We chose option B.",
        decided_by="organisation_alone",
    )
    assert "loop_not_closed" in aspect_of(stored(work), "designing")["flags"]
    assert WorkAssessment.objects.get(work=work).flag_loop_not_closed

    services.decision_save(
        work=work,
        aspect=activity.aspect,
        date=DAY,
        summary="We chose option B.",
        decided_by="organisation_alone",
        decision=decision,
        feedback_given_on=DAY,
        change_reason="Partners were told",
    )
    assert "loop_not_closed" not in aspect_of(stored(work), "designing")["flags"]
    assert not WorkAssessment.objects.get(work=work).flag_loop_not_closed

    services.activity_save(
        work=work,
        aspect=activity.aspect,
        date=DAY,
        kind="workshop",
        participants=[partner],
        activity=activity,
        informed_of_decisions=True,
        change_reason="Partners were told there",
    )
    assert aspect_of(stored(work), "designing")["evidenced"] not in (None, "consultation")

    # Withdrawn evidence stays, but no longer counts, in the stored assessment as in a fresh one.
    services.decision_withdraw(decision=decision, actor=None, reason="Recorded twice")
    stored(work)
    services.activity_withdraw(activity=activity, actor=None, reason="Recorded twice")
    assert aspect_of(stored(work), "designing")["evidenced"] is None
    assert Activity.objects.withdrawn().count() == 1 and Decision.objects.withdrawn().count() == 1


def test_people_in_the_group_added_changed_and_ended(work):
    member = services.work_member_add(work=work, name="Bo", perspective="carer", role="chair")
    assert stored(work)["work"]["values"]["partner_chairs"] is True
    _activity(work, member)
    assert "no_frontline_staff" in stored(work)["work"]["flags"]

    group_services.group_member_change(
        member=member,
        name="Bo",
        contact="",
        perspective="frontline_staff",
        role="member",
        joined_on=member.joined_on,
    )
    assessment = stored(work)
    assert "no_frontline_staff" not in assessment["work"]["flags"]
    assert assessment["work"]["values"]["partner_chairs"] is False
    assert not WorkAssessment.objects.get(work=work).flag_no_frontline_staff

    added = group_services.group_member_add(
        group=work.group, perspective="carer", role="co_chair", joined_on=DAY, name="Cy"
    )
    assert stored(work)["work"]["values"]["partner_chairs"] is True
    group_services.group_member_end(member=added, left_on=DAY)
    stored(work)


def test_erasing_a_person_keeps_the_assessment_in_step(organisation, work):
    membership = MembershipFactory(organisation=organisation, perspective="carer")
    member = services.work_member_add(
        work=work, name="Di", perspective="carer", membership=membership
    )
    _activity(work, member, views_sought=True)
    before = stored(work)
    privacy_services.person_erase(membership=membership, actor=None)
    assert stored(work) == before


def test_closing_a_check_in_round(organisation, work):
    carers = _people(organisation, work, "carer", 3)
    aspect = work.aspects.get(key="designing")
    checkin_round = services.checkin_round_open(work=work, name="Winter")
    for membership in carers:
        services.checkin_submit(
            checkin_round=checkin_round, membership=membership, answers={aspect: "co-design"}
        )
    assert aspect_of(stored(work), "designing")["perceived"]["partners"] is None
    services.checkin_round_close(checkin_round=checkin_round)
    assert aspect_of(stored(work), "designing")["perceived"]["partners"] == "co-design"
    assert AspectAssessment.objects.get(aspect=aspect).perceived_partners == "co-design"


def test_importing_a_record_stores_its_assessment(organisation):
    record = wr.WorkRecord(
        title="Imported",
        level="strategic",
        summary="",
        aspects=(wr.AspectPlan(key="deciding", name="Deciding", intended_rung="co-production"),),
        people=tuple(wr.Person(f"p{n}", "carer", "member") for n in range(3)),
        activities=tuple(
            wr.Activity(
                aspect="deciding",
                date=DAY,
                kind="workshop",
                participants=("p0", "p1", "p2"),
                views_sought=True,
            )
            for _ in range(20)
        ),
        decisions=(),
        checkins=tuple(wr.CheckIn("deciding", "carer", "co-design") for _ in range(3)),
    )
    work = services.work_import(organisation=organisation, record=record)
    assessment = stored(work)
    assert aspect_of(assessment, "deciding")["evidenced"] == "consultation"
    assert aspect_of(assessment, "deciding")["perceived"]["partners"] == "co-design"


def test_deferred_refreshes_compute_each_work_once_when_the_block_ends(work):
    WorkAssessment.objects.filter(work=work).delete()
    with assessments_deferred():
        with CaptureQueriesContext(connection) as inside:
            assessment_refresh(work=work)
            assessment_refresh(work=work)
        assert len(inside) == 0
        assert not WorkAssessment.objects.filter(work=work).exists()
    stored(work)


def test_the_demo_is_stored_in_step():
    call_command("demo", "--force", "--password", "demo-pass-123", verbosity=0)
    works = Work.objects.filter(organisation__slug="example-council")
    assert WorkAssessment.objects.filter(work__in=works).count() == works.count() == 4
    assert assessment_differences() == []


def test_the_check_command_lists_differences_and_recompute_mends_them(work):
    other = services.work_create(organisation=work.organisation, title="Other", level="strategic")
    WorkAssessment.objects.filter(work=work).update(flag_no_evidence=False)
    AspectAssessment.objects.filter(work=other).delete()

    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("assessments", "check", stdout=out)
    assert failure.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert lines == [
        f"work {work.pk} (Carers' strategy): stored differs in flag_no_evidence",
        f"work {other.pk} (Other): stored differs in aspects",
    ]

    call_command("assessments", "recompute", stdout=StringIO())
    out = StringIO()
    call_command("assessments", "check", stdout=out)
    assert "All 2 stored assessments match" in out.getvalue()
    assert WorkAssessment.objects.get(work=work).flag_no_evidence
