"""`withpeople assessments check|recompute`: the stored assessments of pieces of work.

``check`` computes every assessment afresh and compares it with the one stored; it lists each
piece of work that differs and exits with status 1 if any does. ``recompute`` stores every
assessment afresh, for when the rules of the assessment change.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from withpeople.works.assessments import assessment_differences, assessments_refresh
from withpeople.works.models import Work


class Command(BaseCommand):
    help = (
        "check: compare every stored assessment with a fresh one (exit status 1 if any differ). "
        "recompute: store every assessment afresh."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check", "recompute"])

    def handle(self, *args, action: str, **options) -> None:
        works = Work.objects.order_by("pk")
        if action == "recompute":
            count = assessments_refresh(works=works)
            self.stdout.write(f"Stored the assessments of {count} pieces of work afresh.")
            return
        problems = assessment_differences(works=works)
        if problems:
            for problem in problems:
                self.stdout.write(problem)
            raise CommandError(
                f"{len(problems)} of {works.count()} stored assessments differ from a fresh "
                "computation. Run `withpeople assessments recompute`.",
                returncode=1,
            )
        self.stdout.write(f"All {works.count()} stored assessments match a fresh computation.")
