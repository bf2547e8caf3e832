import pytest
from django.core.management import call_command

from withpeople.feedback.models import ReviewCycle, Story
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


def test_demo_tells_each_story_once_in_a_cycle():
    call_command("demo", "--force", "--password", "demo-password-x", verbosity=0)
    for cycle in ReviewCycle.objects.filter(organisation__slug="example-council"):
        stories = Story.objects.filter(response__cycle=cycle)
        texts = list(stories.values_list("text", flat=True))
        assert len(texts) > 6
        assert len(set(texts)) == len(texts)
        chosen = list(stories.filter(chosen_for_publication=True).values_list("text", flat=True))
        assert 0 < len(chosen) < len(texts)
        # Every theme has a chosen story, so You said, we did has something on each.
        themes = set(stories.filter(chosen_for_publication=True).values_list("theme", flat=True))
        assert len(themes) == cycle.framework.themes.count()
        linked = [s.pk for a in Action.objects.filter(cycle=cycle) for s in a.stories.all()]
        assert linked and len(set(linked)) == len(linked)
