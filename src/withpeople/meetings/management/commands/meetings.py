"""`withpeople meetings list --organisation SLUG [--all]`: an organisation's meetings.

One line each: when, in words, the title, the group, and how many replied. No names: it is
for whoever runs the install, who need not see who is coming.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from withpeople.meetings import selectors
from withpeople.meetings.when import when_in_words
from withpeople.organisations.models import Organisation


class Command(BaseCommand):
    help = "List an organisation's meetings."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="List the meetings of one organisation.")
        listing.add_argument("--organisation", required=True, metavar="SLUG")
        listing.add_argument(
            "--all", action="store_true", help="Also meetings that have ended (soonest first)"
        )

    def handle(self, *args, action: str, organisation: str, all: bool, **options) -> None:
        found = Organisation.objects.filter(slug=organisation).first()
        if found is None:
            raise CommandError(f"There is no organisation {organisation!r}.")
        meetings = selectors.meetings_of_organisation(found)
        if not all:
            meetings = selectors.upcoming(meetings)
        count = 0
        for meeting in meetings:
            counts = selectors.reply_counts(meeting)
            status = " [cancelled]" if meeting.is_cancelled else ""
            self.stdout.write(
                f"{meeting.pk}\t{when_in_words(meeting.starts_at, meeting.ends_at)}\t"
                f"{meeting.title}\t{meeting.group.name}\t"
                f"{counts['invited']} invited, {counts['yes']} yes, {counts['maybe']} maybe, "
                f"{counts['no']} no{status}"
            )
            count += 1
        if not count:
            self.stdout.write("No meetings." if all else "No meetings coming up.")
