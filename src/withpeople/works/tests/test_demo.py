"""The demo shows every rung of the ladder and every flag, and can run twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from withpeople.domain.assessment import ASPECT_FLAGS, WORK_FLAGS
from withpeople.domain.ladder import RUNG_SLUGS
from withpeople.works.models import Work
from withpeople.works.selectors import assessment_for

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_rung_and_every_flag():
    call_command("demo", "--force", "--password", "demo-pass-123", verbosity=0)
    call_command("demo", "--force", "--password", "demo-pass-123", verbosity=0)
    works = Work.objects.filter(organisation__slug="example-council")
    assert works.count() == 4
    rungs, flags, perceived = set(), set(), set()
    for work in works:
        assessment = assessment_for(work)
        for aspect in assessment["aspects"]:
            rungs.add(aspect["evidenced"])
            flags.update(aspect["flags"])
            perceived.update(v for v in aspect["perceived"].values() if v)
        flags.update(assessment["work"]["flags"])
    assert set(RUNG_SLUGS) <= rungs
    assert flags == set(ASPECT_FLAGS) | set(WORK_FLAGS)
    assert perceived
    assert works.published().exists()
    carers = works.get(title="Redesigning the carers' assessment")
    assert carers.checkin_rounds.open().exists()
    assert carers.group.members.filter(membership__user__email="partner@example.org").exists()
