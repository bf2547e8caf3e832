"""What `withpeople tick` enqueues when it falls due, and how often.

To add a job: write a task that is safe to run twice, and add it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Due:
    name: str
    task_path: str
    #: "day": once each local day, at the first tick of the day; "hour": once each hour.
    every: str = "day"

    def task(self) -> Any:
        return import_string(self.task_path)

    def period_of(self, now: datetime) -> str:
        if self.every == "day":
            return timezone.localdate(now).isoformat()
        if self.every == "hour":
            return timezone.localtime(now).strftime("%Y-%m-%dT%H")
        raise ValueError(self.every)

    def arguments(self, now: datetime) -> dict[str, str]:
        return {"today": timezone.localdate(now).isoformat()}


DUE: list[Due] = [
    Due("close-ended-cycles", "withpeople.feedback.tasks.cycles_close_ended"),
    Due("refresh-feedback-results", "withpeople.feedback.tasks.results_steps_publish"),
    Due("retention", "withpeople.background.tasks.retention_apply_daily"),
    Due("prune-finished-tasks", "withpeople.background.tasks.finished_tasks_prune"),
    Due("delete-expired-files", "withpeople.packs.tasks.export_files_delete_expired", "hour"),
]

#: Called by every tick with `now=`: each enqueues again work whose enqueueing was lost (the
#: process stopped between committing the work and enqueueing its task).
SWEEPS: list[str] = [
    "withpeople.feedback.services.import_jobs_enqueue_lost",
]
