"""Test set-up for feedback results, which pages show only from published steps."""

from __future__ import annotations

from withpeople.feedback.models import ResultsStep, ReviewCycle
from withpeople.feedback.steps import results_step_publish


def results_published_as_now(cycle: ReviewCycle) -> None:
    """Set up a cycle whose published results are its kept counts as they are now.

    As if every answer had come in before the first step. Only for setting up tests: the
    service never drops earlier steps, as that would let a step move by one answer.
    """
    ResultsStep.objects.filter(cycle=cycle).delete()
    results_step_publish(cycle)
