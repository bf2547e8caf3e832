"""The task queue with real `withpeople worker` processes, against the test database.

The tests commit (a worker in another process sees only committed rows), so they are not run
beside other tests: `serial`. On SQLite the test database is a file (see settings_test).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from withpeople.background.models import DueRun, Worker
from withpeople.testing.tasks import RECORDED, record_key

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]

#: Short, so a lost worker is noticed in seconds.
HEARTBEAT_SECONDS = "0.2"
LOST_AFTER_SECONDS = "2"
WORKER = [sys.executable, "-m", "withpeople.cli", "worker"]
FINISHED = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + str(Path(settings["NAME"]).resolve())
    password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{quote(settings['USER'] or '')}{password}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def _environment() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "withpeople.settings_test",
        "WITHPEOPLE_TEST_TASKS_BACKEND": "database",
        "DATABASE_URL": _database_url(),
        "TASKS_WORKER_HEARTBEAT_SECONDS": HEARTBEAT_SECONDS,
        "TASKS_WORKER_LOST_AFTER_SECONDS": LOST_AFTER_SECONDS,
    }


def _wait_for(what: str, condition, *, timeout: float = 60, logs=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    detail = "\n".join(path.read_text() for path in logs or [])
    pytest.fail(f"Waited {timeout} s for {what}.\n{detail}")


class Workers:
    """Starts `withpeople worker` processes; stops any still running when the test ends."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def start(self, count: int = 1) -> list[subprocess.Popen]:
        started = []
        for _ in range(count):
            log = self.folder / f"worker-{len(self.processes)}.log"
            process = subprocess.Popen(
                [*WORKER, "--interval", "0.05", "--no-startup-delay", "--verbosity", "2"],
                env=_environment(),
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            self.processes.append(process)
            self.logs.append(log)
            started.append(process)
        pids = {p.pid for p in self.processes if p.poll() is None}
        self.wait_for(
            "the workers to start",
            lambda: set(Worker.objects.values_list("pid", flat=True)) >= pids,
        )
        return started

    def wait_for(self, what: str, condition, timeout: float = 60) -> None:
        _wait_for(what, condition, timeout=timeout, logs=self.logs)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def workers(transactional_db, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    pool = Workers(tmp_path)
    yield pool
    pool.stop()


def _all_finished() -> bool:
    return not DBTaskResult.objects.exclude(status__in=FINISHED).exists()


def test_two_workers_share_500_tasks_and_run_each_once(workers):
    first, second = workers.start(2)
    with transaction.atomic():
        for number in range(500):
            record_key.enqueue(key=str(number))
    workers.wait_for("500 tasks to be done", _all_finished)
    keys = list(DueRun.objects.filter(name=RECORDED).values_list("period", flat=True))
    assert sorted(keys, key=int) == [str(n) for n in range(500)]  # none missing, none twice
    results = list(DBTaskResult.objects.values_list("status", "worker_ids"))
    assert {status for status, _ids in results} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(ids) == 1 for _status, ids in results)  # each run once
    by_worker = Worker.objects.in_bulk(field_name="worker_id")
    pids = {by_worker[ids[0]].pid for _status, ids in results}
    assert pids == {first.pid, second.pid}  # both took a share


def test_a_task_of_a_worker_killed_mid_task_is_done_by_the_other(workers):
    workers.start(2)
    with transaction.atomic():
        # The slow one goes first; on its first run it is killed after writing its row,
        # before committing it.
        slow = record_key.using(priority=10).enqueue(key="slow", first_run_sleeps=60)
        for number in range(20):
            record_key.enqueue(key=str(number))
    workers.wait_for(
        "the slow task to start",
        lambda: DBTaskResult.objects.filter(pk=slow.id, status=TaskResultStatus.RUNNING).exists(),
    )
    holder_id = DBTaskResult.objects.get(pk=slow.id).worker_ids[0]
    holder = Worker.objects.get(worker_id=holder_id).pid
    time.sleep(0.5)  # inside its transaction, sleeping
    os.kill(holder, signal.SIGKILL)
    killed = next(p for p in workers.processes if p.pid == holder)
    assert killed.wait(timeout=10) == -signal.SIGKILL
    workers.wait_for("every task to be done", _all_finished)
    slow_result = DBTaskResult.objects.get(pk=slow.id)
    assert slow_result.status == TaskResultStatus.SUCCESSFUL
    assert len(slow_result.worker_ids) == 2
    assert slow_result.worker_ids[0] == holder_id != slow_result.worker_ids[1]
    keys = sorted(DueRun.objects.filter(name=RECORDED).values_list("period", flat=True))
    assert keys == sorted(["slow", *(str(n) for n in range(20))])  # nothing lost or doubled
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()


def test_sigterm_lets_the_task_in_hand_finish_then_stops(workers):
    (worker,) = workers.start(1)
    task = record_key.enqueue(key="in-hand", first_run_sleeps=1.5)
    workers.wait_for(
        "the task to start",
        lambda: DBTaskResult.objects.filter(pk=task.id, status=TaskResultStatus.RUNNING).exists(),
    )
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=20) == 0
    assert DBTaskResult.objects.get(pk=task.id).status == TaskResultStatus.SUCCESSFUL
    assert DueRun.objects.filter(name=RECORDED, period="in-hand").count() == 1
    assert not Worker.objects.filter(pid=worker.pid).exists()  # it said goodbye


def test_two_ticks_at_once_enqueue_each_thing_once(workers, tmp_path):
    ticks = [
        subprocess.Popen(
            [sys.executable, "-m", "withpeople.cli", "tick"],
            env=_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [tick.communicate(timeout=60)[0] for tick in ticks]
    assert [tick.returncode for tick in ticks] == [0, 0], outputs
    names = sorted(DueRun.objects.values_list("name", flat=True))
    repeated = ("meeting-reminders", "delete-expired-files")
    assert [name for name in names if name not in repeated] == [
        "actions-overdue",
        "check-in-rounds-closing-soon",
        "close-ended-cycles",
        "close-overdue-check-in-rounds",
        "prune-finished-tasks",
        "refresh-feedback-results",
        "retention",
        "review-cycles-closing-soon",
        "weekly-summaries",
    ]
    # Reminders are enqueued at every tick, at most once a minute: once, or twice if the two
    # ticks fell either side of a minute.
    assert 1 <= names.count("meeting-reminders") <= 2
    # Likewise the hourly work, if the two ticks fell either side of an hour.
    assert 1 <= names.count("delete-expired-files") <= 2
    assert DBTaskResult.objects.count() == len(names)
    said = "".join(outputs)
    assert said.count("close-ended-cycles") == 1
    assert said.count("retention") == 1
    assert said.count("prune-finished-tasks") == 1
    # A worker then does them.
    workers.start(1)
    workers.wait_for("the due tasks to be done", _all_finished)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }


def test_an_import_uploaded_through_the_page_is_done_by_a_worker(workers, django_app, members):
    from withpeople.feedback.models import ImportJob, ImportStatus, Response
    from withpeople.feedback.tests.helpers import make_cycle
    from withpeople.feedback.tests.test_import import good_csv

    cycle = make_cycle(members["staff"].organisation)
    workers.start(1)
    user = members["staff"].user
    page = django_app.get(f"/o/example/making-it-real/cycles/{cycle.slug}/imports/new/", user=user)
    form = next(f for f in page.forms.values() if "file" in f.fields)
    form["file"] = ("answers.csv", good_csv(cycle).encode())
    job_page_url = form.submit().location
    job = ImportJob.objects.get()
    workers.wait_for(
        "the import to finish",
        lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DONE).exists(),
    )
    job.refresh_from_db()
    assert (job.responses_created, job.answers_created) == (2, 4)
    assert Response.objects.filter(cycle=cycle).count() == 2
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.SUCCESSFUL
    result = django_app.get(job_page_url, user=user)
    assert "2 responses with 4 answers" in result
    assert 'http-equiv="refresh"' not in result.text
