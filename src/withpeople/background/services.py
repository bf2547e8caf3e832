"""The task queue's own bookkeeping: worker heartbeats, taking back a dead worker's tasks, tick.

Background work runs as django-tasks tasks on the django-tasks-db backend (see
docs/decisions/0008-task-queue.md). A service that starts background work enqueues its task once
its transaction has committed, so the task never runs before the rows it needs are visible and
never runs at all when the transaction is rolled back:

    transaction.on_commit(partial(some_task.enqueue, thing_id=thing.pk))

A task must be safe to run twice: a worker that stops mid-task (killed, out of memory, the
machine restarted) has its task run again by another. Write a task's result and the mark that it
is done in one transaction, and make the task do nothing when that mark is already there.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import (
    IntegrityError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks.signals import task_finished
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from withpeople.background.due import DUE, SWEEPS
from withpeople.background.models import DueRun, Worker

logger = logging.getLogger(__name__)

#: A task whose worker was lost this many times is failed rather than run again: it may be
#: what kills its workers.
MAX_RUNS = 3


class WorkerLost(Exception):
    """The worker running a task stopped without finishing it, too many times."""


def heartbeat_seconds() -> float:
    return float(getattr(settings, "TASKS_WORKER_HEARTBEAT_SECONDS", 5))


def lost_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "TASKS_WORKER_LOST_AFTER_SECONDS", 60)))


def new_worker_id() -> str:
    """Unique across the pool, and says where the worker runs: host-pid-random, at most 64."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def worker_register(*, worker_id: str) -> Worker:
    """Record a worker as alive, before it claims anything."""
    now = timezone.now()
    worker, _created = Worker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "beat_at": now,
        },
        create_defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "beat_at": now,
        },
    )
    return worker


def worker_beat(*, worker_id: str) -> None:
    """Show the worker is alive; a worker taken for lost while it was only slow comes back."""
    if not Worker.objects.filter(worker_id=worker_id).update(beat_at=timezone.now()):
        worker_register(worker_id=worker_id)


def worker_forget(*, worker_id: str) -> None:
    """A worker that stops cleanly leaves: a task it was running is then taken back at once."""
    Worker.objects.filter(worker_id=worker_id).delete()


@dataclass
class Recovered:
    requeued: int = 0
    failed: int = 0


def tasks_recover(*, now: datetime | None = None) -> Recovered:
    """Run again each running task whose worker has stopped beating; fail it after MAX_RUNS.

    The running tasks are locked first and the living workers read after, so a worker that
    registered, then claimed a task, is always seen alive.
    """
    now = now or timezone.now()
    recovered = Recovered()
    failed: list[DBTaskResult] = []
    if not _anything_to_recover(now):
        return recovered  # the usual case, found without a write lock (which SQLite shares)
    with transaction.atomic():
        running = list(
            DBTaskResult.objects.running().select_for_update(skip_locked=True).order_by("pk")
        )
        if running:
            alive = set(
                Worker.objects.filter(beat_at__gte=now - lost_after()).values_list(
                    "worker_id", flat=True
                )
            )
            for result in running:
                if result.worker_ids and result.worker_ids[-1] in alive:
                    continue
                if len(result.worker_ids) >= MAX_RUNS:
                    result.set_failed(
                        WorkerLost(f"Its worker stopped {len(result.worker_ids)} times.")
                    )
                    failed.append(result)
                    recovered.failed += 1
                else:
                    result.status = TaskResultStatus.READY
                    result.save(update_fields=["status"])
                    recovered.requeued += 1
        Worker.objects.filter(beat_at__lt=now - lost_after() * 10).delete()
    for result in failed:
        try:
            task_finished.send(sender=DatabaseBackend, task_result=result.task_result)
        except Exception:
            logger.exception("Telling that task %s failed failed", result.pk)
    if recovered.requeued or recovered.failed:
        logger.warning(
            "Took back tasks of lost workers: %s to run again, %s failed",
            recovered.requeued,
            recovered.failed,
        )
    return recovered


def _anything_to_recover(now: datetime) -> bool:
    running_on = {
        ids[-1] if ids else None
        for ids in DBTaskResult.objects.running().values_list("worker_ids", flat=True)
    }
    alive = Worker.objects.filter(beat_at__gte=now - lost_after(), worker_id__in=running_on)
    lost_ids = running_on - set(alive.values_list("worker_id", flat=True))
    return bool(lost_ids) or Worker.objects.filter(beat_at__lt=now - lost_after() * 10).exists()


class Heartbeat(threading.Thread):
    """Beats for a worker every few seconds, in its own thread and database connection, and
    takes back the tasks of workers that stopped beating."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(heartbeat_seconds()):
                close_old_connections()
                try:
                    worker_beat(worker_id=self.worker_id)
                    tasks_recover()
                except OperationalError as error:  # busy (SQLite's write lock) or away
                    logger.warning("Worker %s could not beat: %s", self.worker_id, error)
                except Exception:
                    logger.exception("Worker %s could not beat", self.worker_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=heartbeat_seconds() + 5)


def tick(*, now: datetime | None = None) -> list[str]:
    """Enqueue what has fallen due, each once per period, and take back lost workers' tasks.

    Returns the names of what was enqueued. The DueRun row and the task are written in one
    transaction (the database backend keeps its tasks in the same database), and the DueRun's
    unique key makes a second tick running at the same moment skip it.
    """
    now = now or timezone.now()
    tasks_recover(now=now)
    enqueued = []
    for due in DUE:
        period = due.period_of(now)
        try:
            with transaction.atomic():
                run = DueRun.objects.create(name=due.name, period=period, enqueued_at=now)
                result = due.task().enqueue(**due.arguments(now))
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another tick enqueued it
        enqueued.append(due.name)
    for path in SWEEPS:
        import_string(path)(now=now)
    return enqueued
