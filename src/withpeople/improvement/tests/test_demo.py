import pytest
from django.core.management import call_command

from withpeople.feedback.models import ReviewCycle
from withpeople.improvement.models import Action, ActionStatus, Publication, Rating

pytestmark = pytest.mark.django_db


def test_demo_adds_ratings_actions_and_publishes_autumn_and_can_run_twice():
    call_command("demo", "--force", "--password", "demo-password-x", verbosity=0)
    call_command("demo", "--force", "--password", "demo-password-x", verbosity=0)
    autumn = ReviewCycle.objects.get(organisation__slug="example-council", slug="autumn-2025")
    assert Publication.objects.filter(cycle=autumn).count() == 1
    statuses = set(Action.objects.filter(cycle=autumn).values_list("status", flat=True))
    assert statuses == set(ActionStatus.values)
    for action in Action.objects.filter(cycle=autumn, published=True):
        if action.needs_explanation:
            assert action.explanation
    raters = set(Rating.objects.filter(cycle=autumn).values_list("membership__role", flat=True))
    assert raters == {"admin", "staff", "partner"}
    # Run twice, still one set of demo actions.
    assert Action.objects.filter(cycle=autumn).count() == 4
