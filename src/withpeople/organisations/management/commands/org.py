"""`withpeople org create SLUG --name NAME [--admin EMAIL]`, for hosts of many organisations."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse

from withpeople.accounts.models import User
from withpeople.domain.ladder import Perspective
from withpeople.organisations.models import Organisation, Role
from withpeople.organisations.services import (
    invitation_create,
    membership_add,
    organisation_create,
)


class Command(BaseCommand):
    help = "Manage organisations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an organisation.")
        create.add_argument("slug", help="Short name used in web addresses, e.g. example-council")
        create.add_argument("--name", required=True, help="The organisation's full name")
        create.add_argument(
            "--admin", metavar="EMAIL", help="Make this person the organisation's first admin"
        )
        sub.add_parser("list", help="List organisations.")

    def handle(self, *args, action: str, **options) -> None:
        if action == "list":
            for organisation in Organisation.objects.order_by("slug"):
                self.stdout.write(f"{organisation.slug}\t{organisation.name}")
            return
        self._create(options["slug"], options["name"], options.get("admin"))

    def _create(self, slug: str, name: str, admin_email: str | None) -> None:
        invitation = invitation_url = None
        try:
            with transaction.atomic():
                organisation = organisation_create(slug=slug, name=name)
                user = (
                    User.objects.filter(email__iexact=admin_email).first() if admin_email else None
                )
                if user is not None:
                    membership_add(
                        organisation=organisation,
                        user=user,
                        role=Role.ADMIN,
                        perspective=Perspective.MANAGER,
                    )
                elif admin_email:
                    # Someone without an account is invited, so they choose their own password.
                    invitation, raw = invitation_create(
                        organisation=organisation,
                        email=admin_email,
                        role=Role.ADMIN,
                        perspective=Perspective.MANAGER,
                        invited_by=None,
                        accept_url_for=_absolute_invitation_url,
                    )
                    invitation_url = _absolute_invitation_url(raw)
        except ValidationError as error:
            lines = [
                f"{field}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(self.style.SUCCESS(f"Created {organisation.name} ({organisation.slug})."))
        if invitation_url:
            self.stdout.write(
                f"Invited {admin_email} to be its admin. Their link: {invitation_url}"
            )
            if invitation.email_sent is False:
                self.stderr.write(
                    self.style.WARNING(
                        "The invitation email could not be sent (see the log above). "
                        "Send them the link another way."
                    )
                )
        elif admin_email:
            self.stdout.write(f"{admin_email} is its admin.")


def _absolute_invitation_url(raw_token: str) -> str:
    path = reverse("organisations:invitation-accept", kwargs={"token": raw_token})
    return settings.SITE_URL.rstrip("/") + path
