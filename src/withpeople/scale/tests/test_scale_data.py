"""`withpeople scale-data` fills an empty database with varied data, and its counts agree."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from withpeople.feedback.models import Answer, Response, ReviewCycle, Story
from withpeople.feedback.selectors import cycle_results
from withpeople.feedback.tallies import tallies_differences
from withpeople.improvement.models import Action, Publication
from withpeople.organisations.models import Membership, Organisation, Role
from withpeople.works.models import Activity, Aspect, CheckinTally, Decision, Work

pytestmark = pytest.mark.django_db


def test_it_fills_an_empty_database_with_every_kind_of_record():
    out = io.StringIO()
    call_command(
        "scale-data",
        "--organisations=3",
        "--works=12",
        "--members=30",
        "--answers=4000",
        stdout=out,
    )
    assert Organisation.objects.count() == 3
    assert Work.objects.count() >= 12
    assert Membership.objects.filter(role=Role.ADMIN).count() == 3
    assert Membership.objects.filter(role=Role.PARTNER).exists()
    assert Aspect.objects.count() == 5 * Work.objects.count()
    for model in (Activity, Decision, CheckinTally, Response, Story, Action, Publication):
        assert model.objects.exists(), model
    answers = Answer.objects.count()
    assert 3_900 <= answers <= 4_100
    # Varied, not one answer over and over.
    assert Answer.objects.values("answer").distinct().count() == 6
    assert Response.objects.values("perspective").distinct().count() > 3
    for cycle in ReviewCycle.objects.all():
        assert tallies_differences(cycle.pk) == []
    assert sum(cycle_results(c)["responses"] for c in ReviewCycle.objects.all()) == (
        Response.objects.count()
    )
    assert "Filled the database in" in out.getvalue()


def test_it_refuses_a_database_that_has_organisations(organisation):
    with pytest.raises(CommandError) as refused:
        call_command("scale-data", "--organisations=1", stdout=io.StringIO())
    assert refused.value.returncode == 2
    assert "only fills an empty database" in str(refused.value)
    assert Organisation.objects.count() == 1
