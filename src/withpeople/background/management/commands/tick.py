"""`withpeople tick`: enqueue what has fallen due. Run it every minute (cron or a systemd timer).

Two ticks at once enqueue each thing once. A `withpeople worker` runs what is enqueued.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from withpeople.background.services import tick


class Command(BaseCommand):
    help = "Enqueue what has fallen due (closing ended review cycles, daily retention)."

    def handle(self, *args, **options) -> None:
        enqueued = tick()
        if enqueued:
            self.stdout.write("Enqueued: " + ", ".join(enqueued) + ".")
        elif options["verbosity"] > 1:
            self.stdout.write("Nothing has fallen due.")
