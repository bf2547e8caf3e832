"""Background tasks of Making It Real: importing a responses file, closing ended cycles, and
the daily refresh of published results."""

from __future__ import annotations

import datetime as dt

from django.dispatch import receiver
from django_tasks import TaskContext, TaskResultStatus, task
from django_tasks.signals import task_finished


@task(takes_context=True)
def import_run(context: TaskContext, job_id: int) -> str:
    """Import an uploaded responses file. Safe to run twice: a finished job is left alone."""
    from withpeople.feedback.services import import_job_run

    return import_job_run(job_id, attempt=context.attempt).status


@task()
def cycles_close_ended(*, today: str) -> int:
    """Close the review cycles that ended before `today`: enqueued daily by `withpeople tick`."""
    from withpeople.feedback.services import cycles_close_ended as close

    return close(today=dt.date.fromisoformat(today))


@receiver(task_finished)
def _import_given_up(sender, task_result, **kwargs) -> None:
    """An import task failed without finishing its job (its worker kept stopping): say so."""
    if task_result.status != TaskResultStatus.FAILED or "job_id" not in task_result.kwargs:
        return
    if task_result.task.func is not import_run.func:
        return
    from withpeople.feedback.services import import_job_fail_stopped

    import_job_fail_stopped(job_id=task_result.kwargs["job_id"])


@task()
def results_steps_publish(*, today: str) -> int:
    """The daily refresh of feedback results: enqueued daily by `withpeople tick`."""
    from withpeople.feedback.steps import results_steps_publish_due

    return results_steps_publish_due(today=dt.date.fromisoformat(today))


@task()
def cycles_closing_notify(*, today: str) -> int:
    """Tell members of open review cycles that end within a week; safe to run twice."""
    from withpeople.feedback.services import cycles_closing_notify as tell

    return tell(today=dt.date.fromisoformat(today))
