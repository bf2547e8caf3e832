"""Check-ins: anonymous, once per round, shown only for groups of three or more."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Sum

from withpeople.domain.ladder import RUNG_SLUGS
from withpeople.testing.factories import MembershipFactory
from withpeople.works import services
from withpeople.works.models import CheckinReceipt, CheckinTally
from withpeople.works.selectors import assessment_for, work_record_for

pytestmark = pytest.mark.django_db


def test_answers_are_kept_only_as_counts_that_point_to_nobody():
    fields = CheckinTally._meta.get_fields()
    related = {f.related_model._meta.label for f in fields if f.is_relation and f.related_model}
    assert related == {"works.CheckinRound", "works.Aspect"}
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in fields)
    receipt_fields = {f.name for f in CheckinReceipt._meta.get_fields()}
    assert receipt_fields == {"id", "round", "membership"}


def _tally_rows(checkin_round):
    """Every stored trace of the round's answers: each tally row's id and count, and on
    PostgreSQL the transaction that last wrote it (xmin)."""
    rows = {t.pk: t.count for t in CheckinTally.objects.filter(round=checkin_round)}
    writers = set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT xmin::text FROM works_checkintally WHERE round_id = %s",
                [checkin_round.pk],
            )
            writers = {row[0] for row in cursor.fetchall()}
    return rows, writers


def _receipt_writer(checkin_round, membership):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xmin::text FROM works_checkinreceipt WHERE round_id = %s AND "
            "membership_id = %s",
            [checkin_round.pk, membership.pk],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_no_stored_row_or_column_can_be_matched_to_a_receipt(organisation):
    # Committed transactions, one per check-in, as on a real site: each has its own xmin.
    work = services.work_create(organisation=organisation, title="Carers", level="strategic")
    people = _people(organisation, work, "carer", 3) + _people(organisation, work, "manager", 1)
    checkin_round = services.checkin_round_open(work=work, name="Spring")
    aspects = list(work.aspects.order_by("position"))
    # Every row is there from the start, at 0: none is made by, or for, anyone's answer.
    rows, _writers = _tally_rows(checkin_round)
    assert len(rows) == len(aspects) * 2 * len(RUNG_SLUGS)
    assert set(rows.values()) == {0}
    for number, (membership, rung) in enumerate(
        zip(people, ["informing", "co-design", "co-design", "coercion"], strict=True), start=1
    ):
        services.checkin_submit(
            checkin_round=checkin_round,
            membership=membership,
            answers=dict.fromkeys(aspects, rung),
        )
        after, writers = _tally_rows(checkin_round)
        # No new row for this person or their answers: the same rows, only counts changed...
        assert after.keys() == rows.keys()
        assert sum(after.values()) == number * len(aspects)
        if connection.vendor == "postgresql":
            # ...and every row was rewritten by the same transaction as the receipt, so the
            # transaction id picks out no row, and so no answer, in particular.
            assert writers == {_receipt_writer(checkin_round, membership)}
    assert CheckinReceipt.objects.filter(round=checkin_round).count() == 4
    services.checkin_round_close(checkin_round=checkin_round)
    # Once closed, nobody can answer, so who answered is forgotten: only counts remain.
    assert not CheckinReceipt.objects.filter(round=checkin_round).exists()
    assert _tally_rows(checkin_round)[0].keys() == rows.keys()
    assert assessment_for(work)["aspects"][0]["perceived"] == {
        "partners": "co-design",
        "staff": None,
    }


def test_an_aspect_added_during_a_round_gets_every_rung_at_once(organisation, work):
    (membership,) = _people(organisation, work, "carer", 1)
    checkin_round = services.checkin_round_open(work=work, name="Spring")
    added = services.aspect_add(work=work, name="Choosing providers")
    answers = dict.fromkeys(work.aspects.all(), "engagement")
    services.checkin_submit(checkin_round=checkin_round, membership=membership, answers=answers)
    tallies = CheckinTally.objects.filter(round=checkin_round, aspect=added)
    assert tallies.count() == 2 * len(RUNG_SLUGS)
    assert {(t.perspective, t.rung) for t in tallies if t.count} == {
        (services.PARTNER_ANSWER_PERSPECTIVE, "engagement")
    }


def test_a_check_in_with_a_rung_not_on_the_ladder_saves_nothing(organisation, work):
    (membership,) = _people(organisation, work, "carer", 1)
    checkin_round = services.checkin_round_open(work=work, name="Spring")
    with pytest.raises(ValidationError):
        services.checkin_submit(
            checkin_round=checkin_round,
            membership=membership,
            answers={work.aspects.first(): "the-top"},
        )
    assert not CheckinReceipt.objects.exists()
    assert CheckinTally.objects.aggregate(total=Sum("count"))["total"] == 0


def test_perceived_rungs_are_the_exact_lower_median_of_the_counts(organisation, work):
    partners = _people(organisation, work, "lived_experience", 4)
    staff = _people(organisation, work, "commissioner", 5)
    checkin_round = services.checkin_round_open(work=work, name="Spring")
    aspect = work.aspects.get(key="designing")
    given = {
        # Sorted up the ladder: consultation, engagement | co-design, co-production; the lower
        # of the two middle answers is engagement.
        "partners": ["co-production", "engagement", "co-design", "consultation"],
        # coercion, informing, informing, co-design, co-design: the middle one is informing.
        "staff": ["co-design", "informing", "coercion", "co-design", "informing"],
    }
    for membership, rung in zip(partners + staff, given["partners"] + given["staff"], strict=True):
        services.checkin_submit(
            checkin_round=checkin_round, membership=membership, answers={aspect: rung}
        )
    services.checkin_round_close(checkin_round=checkin_round)
    result = assessment_for(work)["aspects"][1]
    assert result["key"] == "designing"
    assert result["perceived"] == {"partners": "engagement", "staff": "informing"}
    # The record lists one check-in per answer, in ladder order within each side.
    checkins = [(c.perspective, c.rung) for c in work_record_for(work).checkins]
    assert checkins == [
        ("lived_experience", "consultation"),
        ("lived_experience", "engagement"),
        ("lived_experience", "co-design"),
        ("lived_experience", "co-production"),
        ("other_staff", "coercion"),
        ("other_staff", "informing"),
        ("other_staff", "informing"),
        ("other_staff", "co-design"),
        ("other_staff", "co-design"),
    ]


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
    counted = CheckinTally.objects.filter(count__gt=0)
    assert sum(t.count for t in counted) == 5
    # The answer keeps only that a partner gave it.
    assert {(t.perspective, t.rung) for t in counted} == {("lived_experience", "informing")}
    again = client.get(f"/o/example/works/{work.pk}/check-in/").content.decode()
    assert "You have already checked in for this round" in again
    with pytest.raises(ValidationError):
        services.checkin_submit(
            checkin_round=checkin_round,
            membership=members["partner"],
            answers={work.aspects.first(): "coercion"},
        )
    assert CheckinTally.objects.aggregate(total=Sum("count"))["total"] == 5
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


def test_each_rung_on_the_check_in_has_its_plain_words_as_a_hint(client_for, members, work):
    from bs4 import BeautifulSoup

    from withpeople.domain.ladder import RUNGS

    services.work_member_add(
        work=work, name="Pat", perspective="lived_experience", membership=members["partner"]
    )
    services.checkin_round_open(work=work, name="Spring")
    page = client_for(members["partner"]).get(f"/o/example/works/{work.pk}/check-in/")
    html = BeautifulSoup(page.content, "html.parser")
    aspect = work.aspects.first()
    items = html.select(f"input[name=aspect_{aspect.pk}]")
    assert [i["value"] for i in items] == [r.slug for r in reversed(RUNGS)]
    for item, rung in zip(items, reversed(RUNGS), strict=True):
        hint = html.select_one(f"#{item['aria-describedby']}")
        assert "govuk-radios__hint" in hint["class"]
        # The same words as the public ladder page, from the one place they live.
        assert hint.get_text(strip=True) == rung.summary
    ladder = client_for(members["partner"]).get("/ladder/").content.decode()
    assert RUNGS[0].summary in ladder


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
