"""The migration that turns check-in answers into tallies, forwards and back, on either database."""

from __future__ import annotations

import pytest
from django.db import connection

from withpeople.testing.migrations import migrate, migrate_to_the_latest
from withpeople.works import services
from withpeople.works.models import CheckinReceipt, CheckinTally
from withpeople.works.tests.test_checkins import _people

BEFORE = [("works", "0002_checkins_and_person_refs")]
AFTER = [("works", "0004_delete_checkin_answers")]


@pytest.fixture(autouse=True)
def _back_to_the_latest_migrations():
    """Leave the database fully migrated, for the transactional tests that run after these."""
    yield
    migrate_to_the_latest()


def _counts(round_):
    # Only the aspect's key: the current model of an aspect has columns added after 0004.
    return {
        (key, perspective, rung): count
        for key, perspective, rung, count in CheckinTally.objects.filter(
            round=round_, count__gt=0
        ).values_list("aspect__key", "perspective", "rung", "count")
    }


@pytest.mark.django_db(transaction=True)
def test_answers_become_tallies_and_closed_rounds_forget_who_answered(organisation):
    work = services.work_create(organisation=organisation, title="Carers", level="strategic")
    carers = _people(organisation, work, "carer", 3)
    aspect = work.aspects.get(key="designing")
    closed = services.checkin_round_open(work=work, name="Winter")
    for membership, rung in zip(carers, ["co-design", "informing", "co-design"], strict=True):
        services.checkin_submit(checkin_round=closed, membership=membership, answers={aspect: rung})
    services.checkin_round_close(checkin_round=closed)
    still_open = services.checkin_round_open(work=work, name="Spring")
    services.checkin_submit(
        checkin_round=still_open, membership=carers[0], answers={aspect: "engagement"}
    )

    # Back to one row per answer, as before: the tallies become answers.
    old = migrate(BEFORE)
    Answer = old.get_model("works", "CheckinAnswer")
    assert sorted(Answer.objects.filter(round_id=closed.pk).values_list("rung", flat=True)) == [
        "co-design",
        "co-design",
        "informing",
    ]
    # Data as it was then: answers in rows, and receipts kept after a round closed.
    Receipt = old.get_model("works", "CheckinReceipt")
    for membership in carers:
        Receipt.objects.create(round_id=closed.pk, membership_id=membership.pk)
    Answer.objects.create(
        round_id=closed.pk, aspect_id=aspect.pk, perspective="carer", rung="co-design", position=0
    )

    migrate(AFTER)
    assert _counts(closed) == {
        ("designing", "lived_experience", "co-design"): 2,
        ("designing", "lived_experience", "informing"): 1,
        ("designing", "carer", "co-design"): 1,
    }
    assert _counts(still_open) == {("designing", "lived_experience", "engagement"): 1}
    # Who answered a closed round is gone; the open round still knows, so nobody answers twice.
    assert not CheckinReceipt.objects.filter(round=closed).exists()
    assert CheckinReceipt.objects.get(round=still_open).membership == carers[0]
    assert "works_checkinanswer" not in connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_the_assessments_of_existing_works_are_stored_by_migration(organisation):
    from withpeople.works.assessments import assessment_differences
    from withpeople.works.models import WorkAssessment

    work = services.work_create(organisation=organisation, title="Carers", level="strategic")
    migrate([("works", "0005_store_assessments")])  # the tables, emptied
    assert not WorkAssessment.objects.exists()
    # 0006 once filled them, then 0012, then 0013; 0014 does now, after the last migration that
    # adds columns it reads or writes.
    migrate([("works", "0013_aspect_assessments_keep_reasons")])
    assert not WorkAssessment.objects.exists()
    migrate([("works", "0014_checkin_round_closes_on")])
    assert WorkAssessment.objects.get(work=work).flag_no_evidence
    assert assessment_differences() == []
