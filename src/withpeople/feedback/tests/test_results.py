"""The results selector gives exactly what the pure computation gives, in one aggregate query."""

import random

import pytest

from withpeople.domain.mir.results import assert_no_small_numbers, compute_results
from withpeople.feedback.models import Answer, Channel, CycleStatus, Response, Story
from withpeople.feedback.selectors import (
    cycle_change,
    cycle_results,
    cycle_stories,
    framework_as_domain,
    previous_cycle,
)
from withpeople.feedback.services import response_submit
from withpeople.feedback.steps import results_step_publish
from withpeople.feedback.tests.helpers import i_keys, make_cycle

pytestmark = pytest.mark.django_db
ANSWERS = ["always", "mostly", "sometimes", "rarely", "never", "not_applicable"]
PERSPECTIVES = ["", "lived_experience", "carer", "manager"]


def fill(cycle, responses: int, seed: int) -> list[tuple]:
    """Random answers saved to the cycle and published as a step; returns them as the pure
    computation takes them."""
    rng = random.Random(seed)
    keys = i_keys(cycle)
    given = []
    for _ in range(responses):
        perspective = rng.choice(PERSPECTIVES)
        answers = {k: rng.choice(ANSWERS) for k in rng.sample(keys, rng.randrange(1, 8))}
        response_submit(cycle=cycle, answers=answers, perspective=perspective, channel=Channel.API)
        given += [(perspective or None, k, a) for k, a in answers.items()]
    results_step_publish(cycle)  # as the daily refresh does
    return given


def test_selector_equals_the_pure_computation(organisation, django_assert_max_num_queries):
    cycle = make_cycle(organisation)
    given = fill(cycle, 60, seed=3)
    with django_assert_max_num_queries(4):
        results = cycle_results(cycle)
    expected = compute_results(
        framework_as_domain(cycle.framework), given, cycle=cycle.slug, responses=60
    )
    assert results == expected
    assert results["format"] == "withpeople.results/1"
    assert results["responses"] == 60
    assert [e["key"] for e in results["statements"]] == i_keys(cycle)
    assert_no_small_numbers(results)


def test_other_cycles_answers_are_not_counted(organisation):
    cycle = make_cycle(organisation)
    other = make_cycle(organisation, "other")
    fill(other, 10, seed=1)
    results = cycle_results(cycle)
    assert results["responses"] == 0
    assert all(e["suppressed"] for e in results["statements"])


def test_change_since_the_previous_cycle(organisation):
    import datetime as dt

    autumn = make_cycle(
        organisation, "autumn", status=CycleStatus.CLOSED, starts_on=dt.date(2025, 9, 1)
    )
    spring = make_cycle(organisation, "spring", starts_on=dt.date(2026, 3, 1))
    make_cycle(organisation, "draft", status=CycleStatus.DRAFT, starts_on=dt.date(2026, 1, 1))
    key = i_keys(spring)[0]
    for cycle, good in ((autumn, 5), (spring, 8)):
        for n in range(10):
            answer = "always" if n < good else "never"
            response_submit(cycle=cycle, answers={key: answer}, channel=Channel.API)
        results_step_publish(cycle)
    assert previous_cycle(spring) == autumn
    assert previous_cycle(autumn) is None
    change = cycle_change(spring)
    assert change[key] == 30.0
    assert change[i_keys(spring)[1]] is None
    assert cycle_change(autumn) is None


def test_stories_by_theme_in_framework_order(organisation):
    cycle = make_cycle(organisation)
    key = i_keys(cycle)[0]
    response_submit(
        cycle=cycle,
        answers={key: "always"},
        stories={"workforce": "Kind staff.", "wellbeing-and-independence": "Good days."},
        channel=Channel.API,
    )
    Story.objects.filter(text="Kind staff.").update(chosen_for_publication=True)
    themes = cycle_stories(cycle)
    assert themes[0].theme.key == "wellbeing-and-independence"
    assert [s.text for s in themes[0].stories] == ["Good days."]
    assert [s.text for s in themes[-1].stories] == ["Kind staff."]
    chosen = cycle_stories(cycle, chosen_only=True)
    assert [s.text for t in chosen for s in t.stories] == ["Kind staff."]


def test_results_query_count_does_not_grow_with_answers(organisation, django_assert_num_queries):
    cycle = make_cycle(organisation)
    fill(cycle, 5, seed=1)
    with django_assert_num_queries(2):  # the published step, the framework
        cycle_results(cycle)
    fill(cycle, 40, seed=2)
    with django_assert_num_queries(2):
        cycle_results(cycle)
    assert Answer.objects.filter(response__cycle=cycle).count() > 45
    assert Response.objects.filter(cycle=cycle).count() == 45


def test_a_story_keeps_the_cycle_of_its_response_and_only_its_cycles_stories_are_read(
    organisation,
):
    spring = make_cycle(organisation, slug="spring")
    autumn = make_cycle(organisation, slug="autumn")
    for cycle, text in ((spring, "Spring story."), (autumn, "Autumn story.")):
        response_submit(
            cycle=cycle,
            answers={i_keys(cycle)[0]: "always"},
            stories={"workforce": text},
            channel=Channel.API,
        )
    # Saved one at a time too (as tests and the admin do), the cycle comes from the response.
    told = Story(
        response=Response.objects.filter(cycle=autumn).first(),
        theme=autumn.framework.themes.get(key="workforce"),
        text="Told later.",
    )
    told.save()
    assert {(s.text, s.cycle_id) for s in Story.objects.all()} == {
        ("Spring story.", spring.pk),
        ("Autumn story.", autumn.pk),
        ("Told later.", autumn.pk),
    }
    assert [s.text for t in cycle_stories(spring) for s in t.stories] == ["Spring story."]
