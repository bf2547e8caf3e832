"""Published steps of feedback results: results change only in steps that hide one answer.

`results_step_publish` reads the counts kept as answers are saved (`feedback.tallies`) and the
last published step, asks `withpeople.domain.suppression.next_results_step` what may be
published next, and saves it as a new step when anything changed. It runs once a day for every
cycle (the `refresh-feedback-results` job of `withpeople tick`) and when a cycle closes.
`published_counts` is what `feedback.selectors.cycle_results` shows from.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from withpeople.domain.suppression import ResultsStep as Step
from withpeople.domain.suppression import StepKey, next_results_step
from withpeople.feedback.models import (
    AnswerTally,
    CycleStatus,
    ResponseTally,
    ResultsStep,
    ReviewCycle,
)


def _as_step(row: ResultsStep | None) -> Step | None:
    if row is None:
        return None
    return Step({(s, p, a): n for s, p, a, n in row.answers}, row.responses)


def _live(cycle: ReviewCycle) -> Step:
    answers: dict[StepKey, int] = {}
    for perspective, key, answer, n in (
        AnswerTally.objects.filter(cycle=cycle, n__gt=0)
        .values_list("perspective", "statement__key", "answer", "n")
        .order_by()
    ):
        answers[(key, perspective or "", answer)] = (
            answers.get((key, perspective or "", answer), 0) + n
        )
    responses = ResponseTally.objects.filter(cycle=cycle).aggregate(total=Sum("n"))["total"]
    return Step(answers, responses or 0)


def published_counts(cycle: ReviewCycle) -> tuple[Step | None, ResultsStep | None]:
    """The counts the cycle's results are shown from, and the step they came from.

    (None, None) before the first step: nothing is shown yet.
    """
    row = ResultsStep.objects.latest_for(cycle.pk)
    return _as_step(row), row


@transaction.atomic
def results_step_publish(cycle: ReviewCycle, *, now=None) -> ResultsStep | None:
    """Publish the cycle's next step of results, when the rule lets anything change.

    Returns the new step, or None when nothing would change. Safe to run twice and from two
    processes at once: the cycle's row is locked while the step is worked out.
    """
    ReviewCycle.objects.select_for_update().filter(pk=cycle.pk).first()
    previous_row = ResultsStep.objects.latest_for(cycle.pk)
    previous = _as_step(previous_row)
    step = next_results_step(previous, _live(cycle))
    if previous is not None and step == Step(dict(previous.answers), previous.responses):
        return None
    if previous is None and not step.answers and not step.responses:
        return None
    return ResultsStep.objects.create(
        cycle=cycle,
        published_at=now or timezone.now(),
        responses=step.responses,
        answers=sorted([s, p, a, n] for (s, p, a), n in step.answers.items()),
    )


def results_steps_publish_due(*, today: date) -> int:
    """The daily refresh: publish the next step of every cycle that is not a draft.

    Returns how many steps were published. Run once a day by `withpeople tick`, so results move
    at most once a day (and when a cycle closes).
    """
    published = 0
    cycles = ReviewCycle.objects.exclude(status=CycleStatus.DRAFT).order_by("pk")
    for cycle in cycles.iterator():
        if results_step_publish(cycle) is not None:
            published += 1
    return published
