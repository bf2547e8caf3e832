"""`withpeople export-work ID [--format withpeople.work/1]`: print the work record of a piece
of work, in the lossless ``withpeople.work/2`` format unless asked for ``/1``."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from withpeople.domain.work_record import FORMAT_2, FORMATS
from withpeople.works.models import Work
from withpeople.works.selectors import work_record_json


class Command(BaseCommand):
    help = (
        "Print the work record (withpeople.work/2 JSON, or /1 with --format) of the piece of "
        "work with this id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int, help="the id of the piece of work")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default=FORMAT_2,
            help=f"the format of the record (default {FORMAT_2})",
        )

    def handle(self, *args, id: int, format: str, **options) -> None:
        # A command-line operator can reach every organisation, as with `withpeople org`.
        work = Work.objects.filter(pk=id).first()
        if work is None:
            raise CommandError(f"There is no piece of work with the id {id}.")
        data = work_record_json(work, format=format)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
