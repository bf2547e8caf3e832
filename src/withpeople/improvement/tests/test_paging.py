"""Results, the action plan and a cycle's page cost the same however much feedback there is."""

from __future__ import annotations

import re

import pytest

from withpeople.feedback.models import Channel, CycleStatus, Story
from withpeople.groups.tests.scale import assert_queries_do_not_grow
from withpeople.improvement.models import Action
from withpeople.improvement.tests.helpers import add_responses, make_cycle
from withpeople.improvement.views import ACTIONS_PER_PAGE, STORIES_PER_PAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(organisation):
    return make_cycle(organisation, "spring-2026", status=CycleStatus.OPEN)


def _story_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="story-(\d+)"', html)]


def test_the_results_show_stories_a_page_at_a_time(client_for, members, cycle):
    add_responses(
        cycle, {"wi-i1": "always"}, count=STORIES_PER_PAGE + 1, story=("workforce", "Staff listen.")
    )
    add_responses(cycle, {"wi-i1": "never"}, count=2, story=("wellbeing-and-independence", "Mine."))
    client = client_for(members["staff"])
    url = f"/o/example/cycles/{cycle.slug}/results/"
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert len(_story_ids(first)) == STORIES_PER_PAGE
    assert len(_story_ids(second)) == 3
    # Every story is on exactly one page, theme by theme in framework order.
    assert sorted(_story_ids(first) + _story_ids(second)) == sorted(
        Story.objects.values_list("pk", flat=True)
    )
    assert first.index("What people told us about Wellbeing") < first.index("Staff listen.")
    assert "28 stories, theme by theme" in first
    assert 'class="govuk-pagination"' in first


def test_choosing_a_story_on_a_later_page_comes_back_to_that_page(client_for, members, cycle):
    add_responses(
        cycle, {"wi-i1": "always"}, count=STORIES_PER_PAGE + 2, story=("workforce", "Told.")
    )
    last = Story.objects.order_by("response__submitted_on", "id").last()
    client = client_for(members["staff"])
    sent = client.post(
        f"/o/example/cycles/{cycle.slug}/results/stories/{last.pk}/choose/", {"chosen": "yes"}
    )
    assert sent.status_code == 302
    assert sent["Location"].endswith(f"/results/?page=2#story-{last.pk}")
    page = client.get(sent["Location"].split("#")[0]).content.decode()
    assert last.pk in _story_ids(page)


def _figures_drawn_every_time(settings):
    """The figures are kept once drawn (withpeople.core.fragments): to count what drawing them
    costs, keep nothing."""
    settings.CACHES = settings.CACHES | {
        "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }


def test_the_results_page_runs_as_many_queries_for_many_answers_and_stories(
    client_for, members, cycle, django_assert_max_num_queries, settings
):
    _figures_drawn_every_time(settings)
    add_responses(cycle, {"wi-i1": "always"}, count=2, story=("workforce", "First."))

    def grow() -> None:
        for perspective in ("carer", "lived_experience", "frontline_staff", ""):
            add_responses(
                cycle,
                {"wi-i1": "always", "ia-i1": "mostly", "wf-i1": "never"},
                count=15,
                perspective=perspective,
                story=("workforce", "Staff listen."),
            )

    assert_queries_do_not_grow(
        client_for(members["staff"]),
        f"/o/example/cycles/{cycle.slug}/results/",
        grow,
        django_assert_max_num_queries,
    )


def test_the_action_plan_is_paged_with_totals_of_every_action(client_for, members, cycle):
    for index in range(ACTIONS_PER_PAGE + 5):
        Action.objects.create(cycle=cycle, title=f"Action number {index}", status="planned")
    client = client_for(members["staff"])
    url = f"/o/example/cycles/{cycle.slug}/actions/"
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert first.count("Action number ") == ACTIONS_PER_PAGE
    assert second.count("Action number ") == 5
    assert f"{ACTIONS_PER_PAGE + 5} actions" in first
    assert f"{ACTIONS_PER_PAGE + 5} actions" in second


def test_the_action_plan_runs_as_many_queries_for_many_actions(
    client_for, members, cycle, django_assert_max_num_queries
):
    Action.objects.create(cycle=cycle, title="First")

    def grow() -> None:
        for index in range(ACTIONS_PER_PAGE + 10):
            action = Action.objects.create(cycle=cycle, title=f"Action {index}")
            action.owners.set([members["staff"]])

    assert_queries_do_not_grow(
        client_for(members["staff"]),
        f"/o/example/cycles/{cycle.slug}/actions/",
        grow,
        django_assert_max_num_queries,
    )


def test_a_cycle_counts_its_responses_by_channel_in_one_query(
    client_for, members, cycle, django_assert_max_num_queries
):
    from withpeople.feedback import services

    url = f"/o/example/making-it-real/cycles/{cycle.slug}/"

    def grow() -> None:
        for channel in (Channel.PAPER, Channel.PHONE, Channel.ONLINE):
            services.response_submit(cycle=cycle, answers={"wi-i1": "always"}, channel=channel)
        services.response_submit(cycle=cycle, answers={"wi-i1": "never"}, channel=Channel.PAPER)

    client = client_for(members["staff"])
    assert_queries_do_not_grow(client, url, grow, django_assert_max_num_queries)
    html = client.get(url).content.decode()
    assert "Paper form, entered by staff: 2" in html
    assert "Phone or in person, entered by staff: 1" in html


def test_the_figures_are_drawn_once_per_step_and_again_when_a_step_changes_them(
    client_for, members, cycle
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from withpeople.feedback.models import Theme

    client = client_for(members["staff"])
    url = f"/o/example/cycles/{cycle.slug}/results/"
    add_responses(cycle, {"wi-i1": "always"}, count=6)
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url).content.decode()
    assert _figures(again) == _figures(first)
    # Five more answers publish a new step: the figures move at once, drawn afresh.
    add_responses(cycle, {"wi-i1": "never"}, count=6)
    with CaptureQueriesContext(connection) as drawn:
        moved = client.get(url).content.decode()
    assert _figures(moved) != _figures(first)
    assert len(kept.captured_queries) < len(drawn.captured_queries)
    # A renamed theme shows at once too.
    theme = Theme.objects.filter(framework=cycle.framework).first()
    theme.title = "Being listened to, renamed"
    theme.save()
    assert "Being listened to, renamed" in client.get(url).content.decode()


def _figures(page: str) -> str:
    start = page.index('<h2 class="govuk-heading-m">Themes</h2>')
    return page[start : page.index('id="stories"')]


def test_a_kept_page_of_stories_carries_each_requests_own_token_and_shows_a_choice_at_once(
    client_for, members, cycle
):
    from withpeople.improvement.services import story_choose
    from withpeople.improvement.views import CSRF_PLACEHOLDER

    add_responses(cycle, {"wi-i1": "always"}, count=2, story=("workforce", "Staff listen."))
    url = f"/o/example/cycles/{cycle.slug}/results/"
    staff = client_for(members["staff"])
    first = staff.get(url)
    html = first.content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(re.findall(r'name="chosen" value="yes"', html)) == 2
    assert CSRF_PLACEHOLDER not in html
    assert tokens and all(len(token) == 64 for token in tokens)
    # Another person, from the same kept list, gets a token of their own; a partner no form.
    other = client_for(members["admin"]).get(url).content.decode()
    assert not tokens & set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', other))
    partner = client_for(members["partner"]).get(url).content.decode()
    assert "Staff listen." in partner and 'name="chosen"' not in partner
    # Chosen elsewhere: the next page shows it at once.
    story = Story.objects.filter(cycle=cycle).order_by("pk").first()
    story_choose(story=story, chosen=True, chosen_by=members["staff"].user)
    html = staff.get(url).content.decode()
    assert len(re.findall(r'name="chosen" value="no"', html)) == 1


def test_a_story_that_holds_the_token_placeholder_is_shown_as_written(client_for, members, cycle):
    """The token goes into the forms alone: a story whose text is the placeholder keeps it."""
    from withpeople.improvement.views import CSRF_PLACEHOLDER

    add_responses(cycle, {"wi-i1": "always"}, count=1, story=("workforce", CSRF_PLACEHOLDER))
    html = client_for(members["staff"]).get(f"/o/example/cycles/{cycle.slug}/results/")
    html = html.content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert tokens and CSRF_PLACEHOLDER not in tokens
    assert CSRF_PLACEHOLDER in html  # the story, as its writer wrote it
    assert not any(token in html.replace(f'value="{token}"', "") for token in tokens)
