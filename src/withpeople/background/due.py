"""What `withpeople tick` enqueues when it falls due, and how often.

To add a job: write a task that is safe to run twice, and add it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Due:
    name: str
    task_path: str
    #: "day": once each local day, at the first tick of the day, given `today`.
    #: "hour": once each local hour, given `today`.
    #: "week": once each ISO week (Monday to Sunday, local time), at the first tick of the week,
    #: given `today`.
    #: "tick": at every tick, at most once a minute, given `now` (the minute, in UTC); for
    #: work that must happen at a set time, such as reminders, whose task is safe to repeat.
    every: str = "day"

    def task(self) -> Any:
        return import_string(self.task_path)

    def period_of(self, now: datetime) -> str:
        if self.every == "day":
            return timezone.localdate(now).isoformat()
        if self.every == "tick":
            return _minute(now).isoformat()
        if self.every == "week":
            year, week, _weekday = timezone.localdate(now).isocalendar()
            return f"{year}-W{week:02d}"
        if self.every == "hour":
            return timezone.localtime(now).strftime("%Y-%m-%dT%H")
        raise ValueError(self.every)

    def arguments(self, now: datetime) -> dict[str, str]:
        if self.every == "tick":
            return {"now": _minute(now).isoformat()}
        return {"today": timezone.localdate(now).isoformat()}


def _minute(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(second=0, microsecond=0)


DUE: list[Due] = [
    Due("close-ended-cycles", "withpeople.feedback.tasks.cycles_close_ended"),
    Due("refresh-feedback-results", "withpeople.feedback.tasks.results_steps_publish"),
    Due("retention", "withpeople.background.tasks.retention_apply_daily"),
    Due("prune-finished-tasks", "withpeople.background.tasks.finished_tasks_prune"),
    Due("meeting-reminders", "withpeople.meetings.tasks.reminders_send", every="tick"),
    Due("review-cycles-closing-soon", "withpeople.feedback.tasks.cycles_closing_notify"),
    Due("close-overdue-check-in-rounds", "withpeople.works.tasks.checkin_rounds_close_overdue"),
    Due("check-in-rounds-closing-soon", "withpeople.works.tasks.checkin_rounds_closing_notify"),
    Due("actions-overdue", "withpeople.improvement.tasks.actions_overdue_notify"),
    Due("weekly-summaries", "withpeople.notifications.tasks.weekly_summaries_send", every="week"),
    Due("delete-expired-files", "withpeople.packs.tasks.export_files_delete_expired", "hour"),
]

#: Called by every tick with `now=`: each enqueues again work whose enqueueing was lost (the
#: process stopped between committing the work and enqueueing its task).
SWEEPS: list[str] = [
    "withpeople.feedback.services.import_jobs_enqueue_lost",
    "withpeople.notifications.services.outbox_sweep",
]
