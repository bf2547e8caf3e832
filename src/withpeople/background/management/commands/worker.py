"""`withpeople worker`: run background tasks until stopped.

django-tasks-db's `db_worker`, with defaults for WithPeople: every queue, no autoreload, and a
heartbeat, so that when a worker dies mid-task another worker (or `withpeople tick`) runs its
task again. SIGTERM or Ctrl+C finishes the task in hand, then stops; a second one stops at once.
`--batch` runs every task that is waiting, then stops.
"""

from __future__ import annotations

from argparse import ArgumentParser

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from withpeople.background.services import (
    Heartbeat,
    new_worker_id,
    tasks_recover,
    worker_forget,
    worker_register,
)


class Command(DbWorkerCommand):
    help = "Run background tasks (imports, closing ended review cycles, retention) until stopped."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False, worker_id=new_worker_id())

    def handle(self, *args, worker_id: str, **options) -> None:
        worker_register(worker_id=worker_id)
        tasks_recover()
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stop()
            worker_forget(worker_id=worker_id)
