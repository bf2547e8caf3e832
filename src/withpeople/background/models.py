"""What the task queue needs beyond django-tasks-db: which workers are alive, what tick has done.

The queue itself is django-tasks-db's `DBTaskResult`. Its worker claims a task by locking its row
and marking it running; it never takes back a task whose worker died. `Worker` rows are the
heartbeats that let another worker, or `withpeople tick`, notice a dead worker and run its task
again. `DueRun` rows make `withpeople tick` enqueue each piece of due work once.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Worker(models.Model):
    """A running `withpeople worker`, which writes `beat_at` every few seconds while it lives."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host name"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), default=0)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    beat_at = models.DateTimeField(_("last heartbeat at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}, {self.pid})"


class DueRun(models.Model):
    """One piece of due work enqueued by `withpeople tick` for one period, e.g. one day.

    The unique key is what makes two ticks running at once enqueue it only once.
    """

    name = models.CharField(_("what is due"), max_length=100)
    period = models.CharField(_("period"), max_length=40)
    enqueued_at = models.DateTimeField(_("enqueued at"), default=timezone.now)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("due run")
        verbose_name_plural = _("due runs")
        constraints = [
            models.UniqueConstraint(fields=["name", "period"], name="due_run_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period}"
