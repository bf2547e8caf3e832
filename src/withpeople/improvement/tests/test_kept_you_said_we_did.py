"""You said, we did is drawn once per version of what it shows, and never shown stale."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from withpeople.feedback.models import CycleStatus, Story
from withpeople.improvement import services
from withpeople.improvement.models import Action, ActionStatus
from withpeople.improvement.tests.helpers import add_responses, make_cycle, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(organisation, members):
    cycle = make_cycle(organisation, "spring-2026", status=CycleStatus.OPEN)
    add_responses(cycle, {"wi-i1": "always"}, count=6, story=("workforce", "Staff listen to me."))
    services.publication_publish(
        cycle=cycle, published_by=members["staff"].user, look_again_on=date(2026, 9, 1)
    )
    return cycle


@pytest.fixture
def pages(client, cycle):
    base = f"/o/example/cycles/{cycle.slug}/you-said-we-did/"

    def read() -> tuple[str, str]:
        full = client.get(base)
        easy = client.get(base + "easy-read/")
        assert (full.status_code, easy.status_code) == (200, 200)
        return full.content.decode(), easy.content.decode()

    return read


def test_the_page_is_drawn_once_and_then_read_with_fewer_queries(client, cycle, pages):
    url = f"/o/example/cycles/{cycle.slug}/you-said-we-did/"
    # A change of the page's own makes sure it is drawn afresh here, whatever ran before.
    services.publication_publish(cycle=cycle, published_by=None, look_again_on=date(2026, 9, 2))
    with CaptureQueriesContext(connection) as drawn:
        first = client.get(url).content
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url).content
    assert again == first
    assert len(kept.captured_queries) < len(drawn.captured_queries)
    assert "2 September 2026" in again.decode()


def test_a_story_chosen_or_taken_off_shows_at_once(members, cycle, pages):
    story = Story.objects.filter(response__cycle=cycle).order_by("pk").first()
    full, easy = pages()
    assert "Staff listen to me." not in full
    services.story_choose(story=story, chosen=True, chosen_by=members["staff"].user)
    assert pages()[0].count("Staff listen to me.") == 1
    services.story_choose(story=story, chosen=False, chosen_by=members["staff"].user)
    # Back as it was before it was chosen: the page first drawn is right again.
    assert pages() == (full, easy)


def _fields(**fields) -> dict:
    return {
        "title": "",
        "description": "",
        "statements": [],
        "stories": [],
        "owners": [],
        "due_on": None,
        "status": ActionStatus.PLANNED,
        "explanation": "",
        "published": False,
    } | fields


def test_an_action_published_changed_or_withdrawn_shows_at_once(cycle, pages):
    before = pages()
    assert "We have not published any actions yet." in before[0]
    action = services.action_create(cycle=cycle, **_fields(title="Longer visits", published=True))
    full, easy = pages()
    assert "Longer visits" in full and "Longer visits" in easy
    assert "We plan to do this." in easy
    services.action_update(
        action=action,
        **_fields(
            title="Longer home visits",
            status=ActionStatus.CHANGE_MADE,
            explanation="Visits are now an hour.",
            published=True,
        ),
    )
    full, easy = pages()
    assert "Longer home visits" in full and "Visits are now an hour." in full
    assert "We have done this." in easy
    # The statements an action answers are part of what the page shows.
    action.statements.add(statement(cycle, "wi-i1"))
    assert statement(cycle, "wi-i1").text in pages()[0]
    Action.objects.filter(pk=action.pk).update(published=False)
    assert "Longer home visits" not in pages()[0]
    Action.objects.filter(pk=action.pk).delete()
    assert pages()[0] == before[0]


def test_new_figures_and_a_new_date_show_at_once_and_unpublishing_hides_the_page(
    client, members, cycle, pages
):
    full, _easy = pages()
    assert "6 people gave us feedback." in full
    add_responses(cycle, {"wi-i1": "never"}, count=5)  # a new published step
    full, easy = pages()
    assert "11 people gave us feedback." in full
    assert "11 people told us what they think." in easy
    services.publication_publish(
        cycle=cycle, published_by=members["staff"].user, look_again_on=date(2027, 1, 31)
    )
    full, easy = pages()
    assert "31 January 2027" in full and "31 January 2027" in easy
    services.publication_unpublish(cycle=cycle)
    assert client.get(f"/o/example/cycles/{cycle.slug}/you-said-we-did/").status_code == 404


def test_the_kept_part_carries_no_token_and_the_preview_shows_the_same(
    client_for, members, cycle, pages
):
    full, _easy = pages()
    preview = (
        client_for(members["staff"])
        .get(f"/o/example/cycles/{cycle.slug}/you-said-we-did/preview/")
        .content.decode()
    )
    body = full[full.index('id="you-said"') : full.index('id="look-again"')]
    assert body in preview
    assert "csrfmiddlewaretoken" not in body
