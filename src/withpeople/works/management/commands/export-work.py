"""`withpeople export-work ID`: print the work record of a piece of work."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from withpeople.works.models import Work
from withpeople.works.selectors import work_record_json


class Command(BaseCommand):
    help = "Print the work record (withpeople.work/1 JSON) of the piece of work with this id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int, help="the id of the piece of work")

    def handle(self, *args, id: int, **options) -> None:
        # A command-line operator can reach every organisation, as with `withpeople org`.
        work = Work.objects.filter(pk=id).first()
        if work is None:
            raise CommandError(f"There is no piece of work with the id {id}.")
        self.stdout.write(json.dumps(work_record_json(work), ensure_ascii=False, indent=2))
