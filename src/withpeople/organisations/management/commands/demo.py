"""`withpeople demo [--password PASSWORD] [--force]`: an organisation to try everything in."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from withpeople.accounts.models import User
from withpeople.core.demo import demo_steps
from withpeople.domain.ladder import Perspective
from withpeople.organisations.models import Membership, Organisation, Role, SecondFactorRule

DEMO_SLUG = "example-council"
DEMO_PEOPLE = [
    ("admin", "admin@example.org", "Alex Admin", Role.ADMIN, Perspective.MANAGER),
    ("staff", "staff@example.org", "Sam Staff", Role.STAFF, Perspective.COMMISSIONER),
    ("partner", "partner@example.org", "Pat Partner", Role.PARTNER, Perspective.LIVED_EXPERIENCE),
]


class Command(BaseCommand):
    help = "Create the demo organisation Example Council, with one person per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="Password for the demo people (random if not given)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never in production)",
        )

    def handle(self, *args, password: str | None, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "The demo makes accounts with known passwords, so it does not run when DEBUG is "
                "off. Use --force if this really is not a live site."
            )
        password = password or secrets.token_urlsafe(9)
        with transaction.atomic():
            organisation, _created = Organisation.objects.update_or_create(
                slug=DEMO_SLUG,
                # The demo offers a second factor without requiring it, so the printed
                # sign-ins work with a password alone; its admin can turn it on.
                defaults={
                    "name": "Example Council",
                    "second_factor_required_for": SecondFactorRule.NOBODY,
                },
            )
            people: dict[str, User] = {}
            for key, email, name, role, perspective in DEMO_PEOPLE:
                user = User.objects.filter(email=email).first() or User(email=email)
                user.name = name
                user.set_password(password)
                user.full_clean()
                user.save()
                Membership.objects.update_or_create(
                    organisation=organisation,
                    user=user,
                    defaults={"role": role, "perspective": perspective},
                )
                people[key] = user
            for step in demo_steps():
                step.run(organisation, people)
        self.stdout.write(self.style.SUCCESS("Demo organisation: Example Council"))
        self.stdout.write("Sign in at http://127.0.0.1:8000/account/sign-in/ as any of:")
        for _key, email, _name, role, _p in DEMO_PEOPLE:
            self.stdout.write(f"  {email:<22} ({Role(role).label})")
        self.stdout.write(f"Password for all three: {password}")
        self.stdout.write(
            'Things to try: the partner leads "Day opportunities recommissioning" and plans '
            'it; "Redesigning the carers\' assessment" has a correction and a withdrawn entry '
            "on its History page; every piece of work has an evidence pack (a page and a PDF), "
            "and the overview makes one for the whole organisation. Meetings has a meeting "
            "coming up with its replies, one just held whose attendance is still to record, and "
            "time for the partner to confirm; each person's notifications are under "
            "Notifications, and the emails the worker sends are kept as files in data/emails/."
        )
