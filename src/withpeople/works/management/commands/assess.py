"""`withpeople assess FILE [--json]`: the assessment of a work record, saving nothing.

`withpeople assess` itself runs `withpeople.works.record_io.assess_file` before Django starts
(see `withpeople.cli`); this command runs the same function for `manage.py`-style use, such as
`call_command("assess", ...)` or `withpeople assess --verbosity 2 FILE`.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from withpeople.works.record_io import assess_file


class Command(BaseCommand):
    help = (
        "Print the assessment of a work record (withpeople.work/1 or /2) without saving anything. "
        "FILE may be - for standard input. Exit status 2 for an invalid record."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the work record, or - to read standard input")
        parser.add_argument(
            "--json", action="store_true", help="print withpeople.assessment/1 JSON"
        )

    def handle(self, *args, file: str, json: bool, **options) -> None:
        # Plain, uncoloured messages, exactly as the quick path in withpeople.cli writes them.
        self.stderr.style_func = None
        assess_file(file, as_json=json, stdout=self.stdout, stderr=self.stderr)
