"""`withpeople scale-data`: fill an empty database with realistic data of a chosen size.

    withpeople scale-data --organisations N --works N --members N --answers N [--large-organisation]

Refuses (exit status 2) when any organisation exists: it is for a database made for measuring,
never one in use.
"""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from withpeople.organisations.models import Organisation
from withpeople.scale.generate import Filler, Size

REFUSED = 2


class Command(BaseCommand):
    help = "Fill an empty database with realistic data of a chosen size, for measuring pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=int, default=10, metavar="N")
        parser.add_argument("--works", type=int, default=200, metavar="N", help="in all")
        parser.add_argument("--members", type=int, default=200, metavar="N", help="in all")
        parser.add_argument("--answers", type=int, default=50_000, metavar="N", help="in all")
        parser.add_argument(
            "--large-organisation",
            action="store_true",
            help="Make one organisation of 2,000 pieces of work, 200 members and five review "
            "cycles of about 100,000 answers each (counted in the totals)",
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options) -> None:
        if Organisation.objects.exists():
            raise CommandError(
                "The database already has organisations. scale-data only fills an empty "
                "database: make a new one, migrate it and run scale-data again.",
                returncode=REFUSED,
            )
        for name in ("organisations", "works", "members", "answers"):
            if options[name] < 0:
                raise CommandError(f"--{name} must be 0 or more.", returncode=REFUSED)
        if options["organisations"] < 1:
            raise CommandError("--organisations must be at least 1.", returncode=REFUSED)
        size = Size(
            organisations=options["organisations"],
            works=options["works"],
            members=options["members"],
            answers=options["answers"],
            large=options["large_organisation"],
        )
        started = time.perf_counter()
        made = Filler(size, out=self.stdout.write, seed=options["seed"]).run()
        # Pieces of work keep their assessment stored; the bulk inserts above skip the services
        # that refresh it, so it is worked out here for every piece of work at once.
        self.stdout.write("Storing the assessment of every piece of work")
        call_command("assessments", "recompute", stdout=self.stdout)
        seconds = time.perf_counter() - started
        for name, count in sorted(made.items()):
            self.stdout.write(f"  {count:>12,} {name}")
        self.stdout.write(self.style.SUCCESS(f"Filled the database in {seconds:.1f} seconds."))
