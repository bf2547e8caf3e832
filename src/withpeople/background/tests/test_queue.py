"""The queue's bookkeeping without a worker process: heartbeats, taking back tasks, tick."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from withpeople.background import services
from withpeople.background.models import DueRun, Worker
from withpeople.feedback.models import CycleStatus, ImportStatus, ReviewCycle
from withpeople.feedback.tests.helpers import make_cycle
from withpeople.testing.tasks import record_key

pytestmark = pytest.mark.django_db

DAILY = [
    "close-ended-cycles",
    "refresh-feedback-results",
    "retention",
    "prune-finished-tasks",
    "review-cycles-closing-soon",
    "close-overdue-check-in-rounds",
    "check-in-rounds-closing-soon",
    "actions-overdue",
]
EVERY_TICK = ["meeting-reminders"]
HOURLY = ["delete-expired-files"]
#: In the order of `withpeople.background.due.DUE`.
DUE_NAMES = [*DAILY[:4], *EVERY_TICK, *DAILY[4:], "weekly-summaries", *HOURLY]
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_backend(settings):
    """Tasks are kept in the database, as in production, and run by nobody."""
    settings.TASKS = DATABASE_BACKEND
    settings.TASKS_WORKER_LOST_AFTER_SECONDS = 60


def _running(key: str, *worker_ids: str) -> DBTaskResult:
    result = record_key.enqueue(key=key)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=list(worker_ids), started_at=timezone.now()
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_the_task_of_a_worker_that_stopped_beating_is_run_again(database_backend):
    services.worker_register(worker_id="alive")
    services.worker_register(worker_id="silent")
    Worker.objects.filter(worker_id="silent").update(
        beat_at=timezone.now() - dt.timedelta(seconds=61)
    )
    of_alive = _running("a", "alive")
    of_silent = _running("b", "silent")
    of_unknown = _running("c", "never-registered")
    assert services.tasks_recover() == services.Recovered(requeued=2, failed=0)
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {
        of_alive.pk: TaskResultStatus.RUNNING,
        of_silent.pk: TaskResultStatus.READY,
        of_unknown.pk: TaskResultStatus.READY,
    }


def test_a_worker_that_stops_cleanly_leaves_its_task_to_be_taken_back_at_once(database_backend):
    services.worker_register(worker_id="leaving")
    task = _running("a", "leaving")
    assert services.tasks_recover().requeued == 0
    services.worker_forget(worker_id="leaving")
    assert services.tasks_recover().requeued == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_a_task_whose_workers_keep_dying_is_failed(database_backend):
    task = _running("a", "w1", "w2", "w3")
    assert services.tasks_recover() == services.Recovered(requeued=0, failed=1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "withpeople.background.services.WorkerLost"


def test_an_import_whose_workers_keep_dying_is_shown_failed(database_backend, organisation):
    from withpeople.feedback.models import ImportJob
    from withpeople.feedback.tasks import import_run

    cycle = make_cycle(organisation)
    job = ImportJob.objects.create(
        organisation=organisation, cycle=cycle, status=ImportStatus.SAVING, attempts=3
    )
    result = import_run.enqueue(job_id=job.pk)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["w1", "w2", "w3"]
    )
    services.tasks_recover()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.errors == ["The import stopped before it finished, more than once. Try again."]


def test_a_worker_taken_for_lost_comes_back_when_it_beats(database_backend):
    services.worker_beat(worker_id="slow")  # its row was deleted as lost
    assert Worker.objects.filter(worker_id="slow").exists()


def test_tick_enqueues_what_is_due_once_a_day(database_backend):
    now = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))  # not near the end of an hour
    assert services.tick(now=now) == DUE_NAMES
    assert services.tick(now=now) == []
    # What runs at every tick runs again the next minute; the daily work does not.
    assert services.tick(now=now + dt.timedelta(minutes=1)) == EVERY_TICK
    queued = DBTaskResult.objects.ready().values_list("task_path", flat=True)
    assert sorted(queued) == sorted(
        [
            "withpeople.background.tasks.finished_tasks_prune",
            "withpeople.background.tasks.retention_apply_daily",
            "withpeople.feedback.tasks.cycles_close_ended",
            "withpeople.feedback.tasks.cycles_closing_notify",
            "withpeople.feedback.tasks.results_steps_publish",
            "withpeople.meetings.tasks.reminders_send",
            "withpeople.meetings.tasks.reminders_send",
            "withpeople.improvement.tasks.actions_overdue_notify",
            "withpeople.notifications.tasks.weekly_summaries_send",
            "withpeople.packs.tasks.export_files_delete_expired",
            "withpeople.works.tasks.checkin_rounds_close_overdue",
            "withpeople.works.tasks.checkin_rounds_closing_notify",
        ]
    )
    # Files past their time are deleted each hour.
    assert services.tick(now=now + dt.timedelta(hours=1)) == [*EVERY_TICK, *HOURLY]
    tomorrow = now + dt.timedelta(days=1)
    new_week = (
        timezone.localdate(tomorrow).isocalendar()[1] != timezone.localdate(now).isocalendar()[1]
    )
    expected = [name for name in DUE_NAMES if new_week or name != "weekly-summaries"]
    assert services.tick(now=tomorrow) == expected
    assert DueRun.objects.count() == DBTaskResult.objects.count() == 14 + len(expected)


def test_weekly_work_is_enqueued_once_a_week(database_backend):
    monday = timezone.make_aware(dt.datetime(2026, 12, 7, 0, 5))
    assert "weekly-summaries" in services.tick(now=monday)
    for days in range(1, 7):
        assert "weekly-summaries" not in services.tick(now=monday + dt.timedelta(days=days))
    assert "weekly-summaries" in services.tick(now=monday + dt.timedelta(days=7))
    assert DueRun.objects.get(name="weekly-summaries", period="2026-W50")


def test_tick_closes_the_cycles_that_have_ended(organisation):
    """With the immediate backend the enqueued task runs at once."""
    today = timezone.localdate()
    ended = make_cycle(organisation, "ended", starts_on=today - dt.timedelta(days=30))
    ReviewCycle.objects.filter(pk=ended.pk).update(ends_on=today - dt.timedelta(days=1))
    make_cycle(organisation, "ends-today", ends_on=today)
    make_cycle(organisation, "no-end")
    draft = make_cycle(organisation, "draft", status=CycleStatus.DRAFT)
    ReviewCycle.objects.filter(pk=draft.pk).update(ends_on=today - dt.timedelta(days=3))
    out = io.StringIO()
    call_command("tick", stdout=out)
    assert out.getvalue() == f"Enqueued: {', '.join(DUE_NAMES)}.\n"
    statuses = dict(ReviewCycle.objects.values_list("slug", "status"))
    assert statuses == {
        "ended": CycleStatus.CLOSED,
        "ends-today": CycleStatus.OPEN,
        "no-end": CycleStatus.OPEN,
        "draft": CycleStatus.DRAFT,
    }
    # The task records what it did.
    run = DueRun.objects.get(name="close-ended-cycles")
    assert run.task_id


def test_the_demo_cycle_is_open_and_has_not_ended():
    call_command("demo", "--force", "--password", "demo-pass-123", verbosity=0)
    spring = ReviewCycle.objects.get(slug="spring-2026")
    autumn = ReviewCycle.objects.get(slug="autumn-2025")
    today = timezone.localdate()
    assert spring.status == CycleStatus.OPEN
    assert spring.starts_on < today < spring.ends_on
    assert autumn.status == CycleStatus.CLOSED
    assert autumn.ends_on < spring.starts_on
    assert not spring.responses.filter(submitted_on__gt=today).exists()
    # A tick closes nothing in the demo today; once the spring cycle has ended, it closes it.
    services.tick()
    assert ReviewCycle.objects.get(slug="spring-2026").status == CycleStatus.OPEN
    services.tick(now=timezone.now() + dt.timedelta(days=61))
    assert ReviewCycle.objects.get(slug="spring-2026").status == CycleStatus.CLOSED


def test_finished_task_results_are_pruned_after_30_days(database_backend):
    from withpeople.background.tasks import finished_tasks_prune

    old = record_key.enqueue(key="old")
    recent = record_key.enqueue(key="recent")
    waiting = record_key.enqueue(key="waiting")
    now = timezone.now()
    DBTaskResult.objects.filter(pk=old.id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=now - dt.timedelta(days=31)
    )
    DBTaskResult.objects.filter(pk=recent.id).update(
        status=TaskResultStatus.FAILED, finished_at=now - dt.timedelta(days=29)
    )
    assert finished_tasks_prune.call(today=timezone.localdate().isoformat()) == 1
    assert {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)} == {
        recent.id,
        waiting.id,
    }
