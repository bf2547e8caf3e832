"""`withpeople mir ...`: Making It Real frameworks, review cycles, responses and results.

    withpeople mir framework import FILE [--organisation SLUG]
    withpeople mir cycle create --organisation SLUG --cycle SLUG --name NAME [--framework KEY]
    withpeople mir import-responses FILE --organisation SLUG --cycle SLUG
    withpeople mir results --organisation SLUG --cycle SLUG [--json]
    withpeople mir reconcile [--organisation SLUG] [--fix]

A file with problems is reported in full on stderr, one problem a line, with exit status 2,
and nothing is saved.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from withpeople.domain.mir.framework import FrameworkInvalid
from withpeople.domain.mir.responses_csv import ResponsesInvalid
from withpeople.feedback import services
from withpeople.feedback.models import Framework, ReviewCycle
from withpeople.feedback.selectors import cycle_results
from withpeople.feedback.tallies import tallies_differences, tallies_rebuild
from withpeople.organisations.models import Organisation

INVALID = 2


class Command(BaseCommand):
    help = "Making It Real: frameworks, review cycles, responses and results."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        framework = sub.add_parser("framework", help="Frameworks of I and We statements.")
        framework_sub = framework.add_subparsers(dest="framework_action", required=True)
        framework_import = framework_sub.add_parser("import", help="Load a framework file.")
        framework_import.add_argument("file", help="A framework YAML file")
        framework_import.add_argument(
            "--organisation", metavar="SLUG", help="Load it for one organisation only"
        )

        cycle = sub.add_parser("cycle", help="Review cycles.")
        cycle_sub = cycle.add_subparsers(dest="cycle_action", required=True)
        create = cycle_sub.add_parser("create", help="Create a review cycle.")
        create.add_argument("--organisation", metavar="SLUG", required=True)
        create.add_argument("--cycle", metavar="SLUG", required=True, help="Its short name")
        create.add_argument("--name", required=True)
        create.add_argument("--framework", metavar="KEY", default="default")

        responses = sub.add_parser("import-responses", help="Import a CSV of answers.")
        responses.add_argument("file", help="A responses CSV file (UTF-8)")
        responses.add_argument("--organisation", metavar="SLUG", required=True)
        responses.add_argument("--cycle", metavar="SLUG", required=True)

        results = sub.add_parser("results", help="Show a cycle's results.")
        results.add_argument("--organisation", metavar="SLUG", required=True)
        results.add_argument("--cycle", metavar="SLUG", required=True)
        results.add_argument("--json", action="store_true", help="Print withpeople.results/1 JSON")

        reconcile = sub.add_parser(
            "reconcile", help="Check the kept counts of answers against the answers themselves."
        )
        reconcile.add_argument("--organisation", metavar="SLUG", help="Only this organisation")
        reconcile.add_argument(
            "--fix", action="store_true", help="Count the answers afresh where they differ"
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "framework":
            self._framework_import(options["file"], options.get("organisation"))
        elif action == "cycle":
            self._cycle_create(options)
        elif action == "import-responses":
            self._import(options["file"], options["organisation"], options["cycle"])
        elif action == "results":
            self._results(options["organisation"], options["cycle"], options["json"])
        elif action == "reconcile":
            self._reconcile(options.get("organisation"), fix=options["fix"])

    # -- helpers ---------------------------------------------------------------------------

    def _organisation(self, slug: str | None) -> Organisation | None:
        if slug is None:
            return None
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f'There is no organisation "{slug}".')
        return organisation

    def _cycle(self, org_slug: str, cycle_slug: str) -> ReviewCycle:
        organisation = self._organisation(org_slug)
        cycle = (
            ReviewCycle.objects.for_organisation(organisation)
            .select_related("framework", "organisation")
            .filter(slug=cycle_slug)
            .first()
        )
        if cycle is None:
            raise CommandError(f'{organisation.name} has no review cycle "{cycle_slug}".')
        return cycle

    def _read(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None

    def _invalid(self, path: str, errors: list[str]) -> None:
        for error in errors:
            self.stderr.write(f"{path}: {error}")
        raise CommandError(
            f"{path} was not loaded: fix the problems above and try again. Nothing was saved.",
            returncode=INVALID,
        )

    # -- actions ---------------------------------------------------------------------------

    def _framework_import(self, path: str, org_slug: str | None) -> None:
        organisation = self._organisation(org_slug)
        try:
            source = self._read(path).decode("utf-8-sig")
        except UnicodeDecodeError:
            self._invalid(path, ["is not UTF-8 text; save it as UTF-8 and try again"])
        try:
            framework = services.framework_import(source=source, organisation=organisation)
        except FrameworkInvalid as invalid:
            self._invalid(path, invalid.errors)
        except ValidationError as error:
            self._invalid(path, error.messages)
        where = organisation.name if organisation else "every organisation"
        self.stdout.write(
            self.style.SUCCESS(f'Loaded "{framework.title}" ({framework.key}) for {where}.')
        )

    def _cycle_create(self, options: dict) -> None:
        organisation = self._organisation(options["organisation"])
        # The organisation's own framework comes before a site-wide one with the same key. This
        # is asked for in so many words: ordering by organisation would put the site's (NULL)
        # first on SQLite and last on PostgreSQL.
        key = options["framework"]
        framework = (
            Framework.objects.filter(organisation=organisation, key=key).first()
            or Framework.objects.filter(organisation__isnull=True, key=key).first()
        )
        if framework is None and key == "default":
            # The shipped framework, loaded again if it was removed since the migration.
            framework = services.default_framework()
        if framework is None:
            raise CommandError(f'There is no framework "{options["framework"]}".')
        try:
            cycle = services.cycle_create(
                organisation=organisation,
                slug=options["cycle"],
                name=options["name"],
                framework=framework,
            )
        except ValidationError as error:
            lines = [
                f"{field}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("\n".join(lines), returncode=INVALID) from None
        self.stdout.write(self.style.SUCCESS(f"Created {cycle.name} ({cycle.slug})."))

    def _import(self, path: str, org_slug: str, cycle_slug: str) -> None:
        cycle = self._cycle(org_slug, cycle_slug)
        data = self._read(path)
        started = time.perf_counter()

        def checked(rows: int) -> None:
            self.stderr.write(f"checked {rows:,} rows")

        def saved(rows: int) -> None:
            self.stderr.write(f"saved {rows:,} answers")

        try:
            parsed = services.responses_check(cycle=cycle, data=data, on_progress=checked)
            responses, answers = services.responses_import(
                cycle=cycle, parsed=parsed, on_progress=saved
            )
        except ResponsesInvalid as invalid:
            self._invalid(path, invalid.errors)
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {responses:,} responses with {answers:,} answers into {cycle.name} "
                f"in {seconds:.1f} seconds."
            )
        )

    def _results(self, org_slug: str, cycle_slug: str, as_json: bool) -> None:
        cycle = self._cycle(org_slug, cycle_slug)
        results = cycle_results(cycle)
        if as_json:
            # One write: json.dump would write piece by piece, and Django's OutputWrapper ends
            # every write with a newline.
            self.stdout.write(json.dumps(results, indent=2))
            return
        self.stdout.write(f"{cycle.name}: {results['responses']:,} responses")
        self.stdout.write(f"{'statement':<14}{'answered':>10}{'positive %':>12}")
        for entry in results["statements"]:
            self.stdout.write(f"{entry['key']:<14}{_shown(entry)}")
        self.stdout.write("")
        self.stdout.write(f"{'theme':<44}{'answered':>10}{'positive %':>12}")
        for entry in results["themes"]:
            self.stdout.write(f"{entry['key']:<44}{_shown(entry)}")
        if any(entry["suppressed"] for entry in results["statements"]):
            sys.stdout.flush()
            self.stdout.write("(hidden: fewer than 5 people answered, to keep answers anonymous)")

    def _reconcile(self, org_slug: str | None, *, fix: bool) -> None:
        """Exit status 1 when a kept count differs and was not fixed."""
        organisation = self._organisation(org_slug)
        cycles = ReviewCycle.objects.select_related("organisation").order_by("pk")
        if organisation is not None:
            cycles = cycles.filter(organisation=organisation)
        wrong: list[ReviewCycle] = []
        checked = 0
        for cycle in cycles.iterator():
            checked += 1
            differences = tallies_differences(cycle.pk)
            if not differences:
                continue
            wrong.append(cycle)
            for difference in differences:
                key = difference.key if isinstance(difference.key, tuple) else (difference.key,)
                where = "/".join(str(part) or "no perspective" for part in key)
                self.stdout.write(
                    f"{cycle.organisation.slug}/{cycle.slug}: {difference.what} {where}: "
                    f"kept {difference.kept}, counted {difference.counted}"
                )
        if not wrong:
            self.stdout.write(self.style.SUCCESS(f"Checked {checked} cycles: every count agrees."))
            return
        if fix:
            tallies_rebuild(cycle_ids=[cycle.pk for cycle in wrong])
            self.stdout.write(
                self.style.SUCCESS(f"Counted {len(wrong)} of {checked} cycles afresh.")
            )
            return
        raise CommandError(
            f"{len(wrong)} of {checked} cycles have kept counts that differ from their answers; "
            "run again with --fix to count them afresh.",
            returncode=1,
        )


def _shown(entry: dict) -> str:
    if entry["suppressed"]:
        return f"{'hidden':>10}{'hidden':>12}"
    return f"{entry['answered']:>10,}{entry['positive_percent']:>12.1f}"
