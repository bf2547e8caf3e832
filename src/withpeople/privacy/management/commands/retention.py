"""`withpeople retention apply [--dry-run]`: apply every organisation's retention periods.

Safe to run daily (from cron or a scheduler): a second run on the same day changes nothing.
It prints counts only, never names.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from withpeople.privacy.retention import retention_apply, sign_in_records_apply

LABELS = {
    "people_who_left_anonymised": "people who left a group anonymised",
    "audit_events_deleted": "audit events deleted",
    "expense_receipts_deleted": "expense receipts deleted",
}


class Command(BaseCommand):
    help = "Apply the retention periods each organisation has chosen."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        apply = sub.add_parser("apply", help="Anonymise or delete what is past its period.")
        apply.add_argument(
            "--dry-run", action="store_true", help="Only count what would be done; change nothing"
        )
        apply.add_argument(
            "--today", metavar="YYYY-MM-DD", help="Act as if today were this date (for checks)"
        )

    def handle(self, *args, action: str, dry_run: bool, today: str | None, **options) -> None:
        try:
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("Give --today as a date like 2026-01-31.") from None
        verb = "Would do" if dry_run else "Done"
        self.stdout.write(f"Retention as of {day.isoformat()}{' (dry run)' if dry_run else ''}")
        for result in retention_apply(today=day, dry_run=dry_run):
            parts = []
            for key, label in LABELS.items():
                if key not in result.counts:
                    continue
                value = result.counts[key]
                parts.append(f"{label}: {'not counted' if value is None else value}")
            self.stdout.write(f"{result.slug}: " + "; ".join(parts))
        sign_ins = sign_in_records_apply(today=day, dry_run=dry_run)
        self.stdout.write(f"site: sign-in records deleted: {sign_ins}")
        self.stdout.write(self.style.SUCCESS(f"{verb}."))
