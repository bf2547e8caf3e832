"""Tasks for the tests of the task queue: each records its key once, in a unique row."""

from __future__ import annotations

import time

from django.db import transaction
from django_tasks import TaskContext, task

from withpeople.background.models import DueRun

RECORDED = "test-recorded"


@task(takes_context=True)
def record_key(context: TaskContext, *, key: str, first_run_sleeps: float = 0) -> str:
    """Insert a row keyed `key` (a unique key: a second insert fails the task).

    On its first run it sleeps inside the transaction first, so a test can kill its worker
    mid-task with the row written but not committed.
    """
    with transaction.atomic():
        DueRun.objects.create(name=RECORDED, period=key)
        if context.attempt == 1 and first_run_sleeps:
            time.sleep(first_run_sleeps)
    return key
