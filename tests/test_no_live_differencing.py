"""No page, export, command or API response lets a reader watch one answer arrive.

The cycle of the small-numbers test (16 answers to "I have a life I value", 4 to the next) is
published as a step. One more person sends feedback: every output is read before and after, and
after the daily refresh, and must not change. Only when enough new answers have come in from
one perspective does the next refresh move the figures, and then by all of them at once.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.test_small_numbers_everywhere import OUTPUTS, cycle  # noqa: F401 - a fixture
from withpeople.feedback.models import Channel, CycleStatus, ResultsStep
from withpeople.feedback.services import cycle_set_status, response_submit
from withpeople.feedback.steps import results_steps_publish_due

pytestmark = pytest.mark.django_db

_CHANGING = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|csrf[-_]token[^>]*>')


def _everything(ctx) -> dict[str, str]:
    """Every output's text, with the only parts that change on every request taken out."""
    seen = {}
    for name, read in OUTPUTS.items():
        text = read(ctx).text
        seen[name] = _CHANGING.sub("", text)
    return seen


def _send(cycle, answers, *, perspective, count=1):  # noqa: F811 - the fixture's name
    for _ in range(count):
        response_submit(
            cycle=cycle, answers=answers, perspective=perspective, channel=Channel.ONLINE
        )


def _refresh() -> int:
    return results_steps_publish_due(today=dt.date.today())


def _wi_i1_answered(ctx) -> float:
    figures = OUTPUTS["API"](ctx).figures
    return figures[("wi-i1", None)][0]


def test_one_answer_changes_nothing_until_the_rule_allows(
    cycle,  # noqa: F811 - the fixture
    client,
    client_for,
    members,
):
    ctx = {"client": client, "client_for": client_for, "members": members}
    cycle_set_status(cycle=cycle, status=CycleStatus.OPEN)
    before = _everything(ctx)
    steps = ResultsStep.objects.filter(cycle=cycle).count()

    _send(cycle, {"wi-i1": "always", "wi-i2": "never"}, perspective="carer")
    assert _everything(ctx) == before, "a page moved with one answer"
    assert _refresh() == 0
    assert ResultsStep.objects.filter(cycle=cycle).count() == steps
    assert _everything(ctx) == before, "the daily refresh moved a page by one answer"

    # Closing the cycle publishes a step by the same rule: one answer still shows nowhere.
    cycle_set_status(cycle=cycle, status=CycleStatus.CLOSED)
    assert _everything(ctx) == before, "closing the cycle showed one answer"
    cycle_set_status(cycle=cycle, status=CycleStatus.OPEN)

    # Four more carers: five new carers' answers to wi-i1, so the next refresh moves them.
    _send(cycle, {"wi-i1": "never"}, perspective="carer", count=4)
    assert _everything(ctx) == before
    assert _refresh() == 1
    after = _everything(ctx)
    assert after["API"] != before["API"]
    assert after["results page"] != before["results page"]
    assert after["CSV export"] != before["CSV export"]
    assert after["You said, we did"] != before["You said, we did"]
    assert _wi_i1_answered(ctx) == 16 + 5
    # wi-i2 had one new answer only: it has not moved (still hidden, from 4 answers).
    assert OUTPUTS["API"](ctx).figures[("wi-i2", None)] is None


def test_the_results_page_says_when_figures_were_last_refreshed(
    cycle,  # noqa: F811 - the fixture
    client_for,
    members,
):
    step = ResultsStep.objects.filter(cycle=cycle).latest("published_at")
    ResultsStep.objects.filter(pk=step.pk).update(
        published_at=dt.datetime(2026, 3, 9, 6, 15, tzinfo=dt.UTC)
    )
    html = client_for(members["partner"]).get("/o/example/cycles/spring-2026/results/")
    assert "Figures last refreshed on 9 March 2026" in html.content.decode()
    ResultsStep.objects.filter(cycle=cycle).delete()
    html = client_for(members["partner"]).get("/o/example/cycles/spring-2026/results/")
    assert "No figures yet." in html.content.decode()
