"""`withpeople assess FILE [--json]`: the assessment of a work record, saving nothing."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from withpeople.domain.assessment import ASPECT_FLAGS, WORK_FLAGS, assess
from withpeople.domain.ladder import RUNG_BY_SLUG
from withpeople.works.management.commands._record_io import read_record


def _rung(slug: str | None, missing: str) -> str:
    return RUNG_BY_SLUG[slug].name if slug else missing


def summary(record, assessment) -> str:
    """The assessment as plain text for people to read."""
    lines = [record.title, "=" * len(record.title), ""]
    for plan, result in zip(record.aspects, assessment["aspects"], strict=True):
        lines.append(plan.name)
        lines.append(f"  Planned:               {_rung(result['intended'], '')}")
        if plan.reason:
            lines.append(f"  Why it steps down:     {plan.reason.explanation}")
        lines.append(f"  Evidence shows:        {_rung(result['evidenced'], 'no rung yet')}")
        hidden = "not shown (fewer than 3 answers)"
        lines.append(f"  Partners think:        {_rung(result['perceived']['partners'], hidden)}")
        lines.append(f"  Staff think:           {_rung(result['perceived']['staff'], hidden)}")
        for line in result["why"]:
            lines.append(f"  - {line}")
        for flag in result["flags"]:
            lines.append(f"  ! {ASPECT_FLAGS[flag].title}: {ASPECT_FLAGS[flag].explanation}")
        lines.append("")
    for flag in assessment["work"]["flags"]:
        lines.append(f"! {WORK_FLAGS[flag].title}: {WORK_FLAGS[flag].explanation}")
    return "\n".join(lines).rstrip() + "\n"


class Command(BaseCommand):
    help = (
        "Print the assessment of a work record (withpeople.work/1) without saving anything. "
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
        record = read_record(file, self.stderr)
        assessment = assess(record)
        if json:
            self.stdout.write(_dumps(assessment))
        else:
            self.stdout.write(summary(record, assessment), ending="")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
