"""`withpeople evidence-pack`: write the evidence pack of a piece of work, or of an organisation
over a period, as an accessible tagged PDF.

    withpeople evidence-pack --work ID --pdf FILE
    withpeople evidence-pack --organisation SLUG --from YYYY-MM-DD --to YYYY-MM-DD --pdf FILE

Bad input gets a message saying what to change, and exit status 2, as a usage error.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from withpeople.organisations.models import Organisation
from withpeople.packs import render, services
from withpeople.packs.forms import parse_period
from withpeople.works.models import Work

USAGE = 2


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE)


class Command(BaseCommand):
    help = (
        "Write the evidence pack of a piece of work (--work ID), or of an organisation over a "
        "period (--organisation SLUG --from DATE --to DATE), as a tagged PDF (--pdf FILE)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--work", type=int, help="the id of the piece of work")
        parser.add_argument("--organisation", help="the slug of the organisation")
        parser.add_argument("--from", dest="start", help="the first day of the period, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="the last day of the period, YYYY-MM-DD")
        parser.add_argument("--pdf", required=True, help="the file to write the PDF to")

    def handle(self, *args, work, organisation, start, end, pdf, **options) -> None:
        if (work is None) == (organisation is None):
            raise _fail("Give either --work ID or --organisation SLUG, not both and not neither.")
        target = Path(pdf)
        if not target.parent.is_dir():
            raise _fail(f"--pdf: the folder {target.parent} does not exist.")
        # A command-line operator can reach every organisation, as with `withpeople export-work`.
        if work is not None:
            if start or end:
                raise _fail(
                    "--from and --to are for an organisation's pack; a piece of work's "
                    "pack covers its whole record."
                )
            found = Work.objects.select_related("organisation", "group").filter(pk=work).first()
            if found is None:
                raise _fail(f"--work: there is no piece of work with the id {work}.")
            pack = services.work_pack_make(work=found, actor=None, form="command")
        else:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise _fail(
                    f"--organisation: there is no organisation with the slug {organisation!r}."
                )
            if not start or not end:
                raise _fail(
                    "An organisation's pack needs a period: "
                    "give --from YYYY-MM-DD and --to YYYY-MM-DD."
                )
            first, last, problems = parse_period(start, end)
            if problems:
                raise _fail("\n".join(problems))
            pack = services.organisation_pack_make(
                organisation=org,
                works=Work.objects.for_organisation(org),
                start=first,
                end=last,
                actor=None,
                form="command",
            )
        try:
            target.write_bytes(render.pack_pdf(pack))
        except OSError as error:
            raise _fail(f"--pdf: cannot write {target} ({error.strerror}).") from None
        self.stdout.write(
            f"Wrote the evidence pack of {len(pack.works)} pieces of work to {target}.\n"
            f"Made {pack.made_at:%Y-%m-%d %H:%M %Z}. SHA-256 of the record: {pack.checksum}"
        )
