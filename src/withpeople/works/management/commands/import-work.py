"""`withpeople import-work FILE --organisation SLUG`: save a work record as a piece of work."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from withpeople.domain.work_record import WorkRecordInvalid
from withpeople.organisations.models import Organisation
from withpeople.works.record_io import fail, read_record
from withpeople.works.services import work_import


class Command(BaseCommand):
    help = (
        "Import a work record (withpeople.work/1 or /2) as a new piece of work. Nothing is saved "
        "if the record has any problem; each is printed on its own line and the exit status is 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the work record, or - to read standard input")
        parser.add_argument(
            "--organisation", required=True, help="the short name (slug) of the organisation"
        )

    def handle(self, *args, file: str, organisation: str, **options) -> None:
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"There is no organisation with the short name {organisation!r}.")
        record = read_record(file, self.stderr)
        try:
            work = work_import(organisation=org, record=record)
        except WorkRecordInvalid as invalid:
            fail(invalid, self.stderr)
        self.stdout.write(f"Imported {work.title!r} as piece of work {work.pk} in {org.name}.")
