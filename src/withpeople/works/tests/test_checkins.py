"""Check-ins: anonymous, once per round, shown only for groups of three or more."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from withpeople.testing.factories import MembershipFactory
from withpeople.works import services
from withpeople.works.models import CheckinAnswer, CheckinReceipt
from withpeople.works.selectors import assessment_for

pytestmark = pytest.mark.django_db


def test_an_answer_cannot_be_linked_to_anyone():
    fields = CheckinAnswer._meta.get_fields()
    related = {f.related_model._meta.label for f in fields if f.is_relation and f.related_model}
    assert related == {"works.CheckinRound", "works.Aspect"}
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in fields)
    assert isinstance(CheckinAnswer._meta.pk, models.UUIDField)
    receipt_fields = {f.name for f in CheckinReceipt._meta.get_fields()}
    assert receipt_fields == {"id", "round", "membership"}


def _people(organisation, work, perspective, count):
    memberships = []
    for number in range(count):
        membership = MembershipFactory(organisation=organisation, perspective=perspective)
        services.work_member_add(
            work=work,
            name=f"{perspective} {number}",
            perspective=perspective,
            membership=membership,
        )
        memberships.append(membership)
    return memberships


def test_a_member_checks_in_once_and_nobody_sees_what_they_said(
    client_for, members, organisation, work
):
    services.work_member_add(
        work=work, name="Pat", perspective="lived_experience", membership=members["partner"]
    )
    checkin_round = services.checkin_round_open(work=work, name="Spring")
    client = client_for(members["partner"])
    page = client.get(f"/o/example/works/{work.pk}/check-in/").content.decode()
    assert "Understanding what matters: where do you think this is?" in page
    response = client.post(f"/o/example/works/{work.pk}/check-in/", {})
    assert "Select where you think Understanding what matters is on the ladder" in (
        response.content.decode()
    )
    assert not CheckinReceipt.objects.exists()
    answers = {f"aspect_{a.pk}": "informing" for a in work.aspects.all()}
    assert client.post(f"/o/example/works/{work.pk}/check-in/", answers).status_code == 302
    assert CheckinReceipt.objects.get().membership == members["partner"]
    assert CheckinAnswer.objects.count() == 5
    # The answer keeps only that a partner gave it.
    assert set(CheckinAnswer.objects.values_list("perspective", flat=True)) == {"lived_experience"}
    again = client.get(f"/o/example/works/{work.pk}/check-in/").content.decode()
    assert "You have already checked in for this round" in again
    with pytest.raises(ValidationError):
        services.checkin_submit(
            checkin_round=checkin_round,
            membership=members["partner"],
            answers={work.aspects.first(): "coercion"},
        )
    assert CheckinAnswer.objects.count() == 5
    # Closed, with one partner answer: nothing is shown, to anyone.
    services.checkin_round_close(checkin_round=checkin_round)
    for role in ("admin", "staff", "partner"):
        body = client_for(members[role]).get(f"/o/example/works/{work.pk}/").content.decode()
        # No partners' marker on any ladder, and the table says why, for partners and staff
        # of each of the five aspects.
        assert ">Pa</text>" not in body
        assert body.count('<td class="govuk-table__cell">Not shown (fewer than 3 answers)') == 10
        assert body.count('<td class="govuk-table__cell">No evidence yet</td>') == 5
    record = client_for(members["admin"]).get(f"/o/example/works/{work.pk}/record.json").json()
    assert record["checkins"] == []


def test_people_outside_the_group_cannot_check_in(client_for, members, work):
    services.checkin_round_open(work=work, name="Spring")
    body = client_for(members["staff"]).get(f"/o/example/works/{work.pk}/check-in/")
    assert "Only people in the group" in body.content.decode()


def test_results_show_only_after_closing_and_for_three_or_more(organisation, work):
    partners = _people(organisation, work, "carer", 3)
    staff = _people(organisation, work, "frontline_staff", 2)
    checkin_round = services.checkin_round_open(work=work, name="Spring")
    aspect = work.aspects.get(key="understanding")
    for membership, rung in zip(
        partners + staff,
        ["consultation", "engagement", "consultation", "co-production", "co-production"],
        strict=True,
    ):
        services.checkin_submit(
            checkin_round=checkin_round, membership=membership, answers={aspect: rung}
        )
    # Open round: nothing yet, so the result cannot be watched changing after each answer.
    assert assessment_for(work)["aspects"][0]["perceived"] == {"partners": None, "staff": None}
    services.checkin_round_close(checkin_round=checkin_round)
    perceived = assessment_for(work)["aspects"][0]["perceived"]
    assert perceived == {"partners": "consultation", "staff": None}


def test_staff_open_and_close_rounds(client_for, members, work):
    client = client_for(members["staff"])
    response = client.post(f"/o/example/works/{work.pk}/check-in/rounds/new/", {"name": ""})
    assert "Enter a name for the round" in response.content.decode()
    client.post(f"/o/example/works/{work.pk}/check-in/rounds/new/", {"name": "Spring"})
    checkin_round = work.checkin_rounds.get()
    assert checkin_round.is_open
    assert (
        client_for(members["partner"])
        .post(f"/o/example/works/{work.pk}/check-in/rounds/{checkin_round.pk}/close/")
        .status_code
        == 403
    )
    client.post(f"/o/example/works/{work.pk}/check-in/rounds/{checkin_round.pk}/close/")
    checkin_round.refresh_from_db()
    assert not checkin_round.is_open
