"""Organisations (the tenants), the people who belong to them, and invitations to join."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.core.ladder_labels import PERSPECTIVE_CHOICES
from withpeople.domain.ladder import Perspective

INVITATION_LIFETIME = timedelta(days=14)

#: Organisation short names appear in every web address, so they are kept to one spelling:
#: SlugField alone would also take capitals and underscores.
validate_lower_case_slug = RegexValidator(
    r"^[a-z0-9-]+\Z",
    _(
        "The short name must only include lower-case letters, numbers and hyphens, like "
        "example-council"
    ),
    code="invalid_slug",
)


class Role(models.TextChoices):
    """What someone may do in an organisation. Partners use the same screens as staff."""

    ADMIN = "admin", _("Organisation admin")
    STAFF = "staff", _("Staff")
    PARTNER = "partner", _("Partner")


class SecondFactorRule(models.TextChoices):
    """Who must sign in with a second factor (a code from an app) to use an organisation.

    Staff and admins see payments, access needs and diversity data, so a password alone is not
    enough for them where an organisation says so (OWASP ASVS 5.0, V6.3: multi-factor
    authentication for access to sensitive data). Anyone may set one up whatever the rule.
    """

    NOBODY = "nobody", _("Nobody: everyone may choose")
    ADMINS = "admins", _("Admins")
    STAFF_AND_ADMINS = "staff_and_admins", _("Staff and admins")


class Organisation(models.Model):
    """A council, NHS body, care provider or regulator: everything else belongs to one."""

    slug = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        validators=[validate_lower_case_slug],
        help_text=_("Used in web addresses. Lower-case letters, numbers and hyphens."),
    )
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    second_factor_required_for = models.CharField(
        _("second factor required for"),
        max_length=20,
        choices=SecondFactorRule.choices,
        default=SecondFactorRule.ADMINS,
        help_text=_(
            "Who must sign in with a code from an authenticator app, as well as their password."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def requires_second_factor(self, role: str) -> bool:
        """Whether someone with `role` must sign in with a second factor to use it."""
        if self.second_factor_required_for == SecondFactorRule.STAFF_AND_ADMINS:
            return role in (Role.ADMIN, Role.STAFF)
        if self.second_factor_required_for == SecondFactorRule.ADMINS:
            return role == Role.ADMIN
        return False


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_organisation(self, organisation: Organisation) -> MembershipQuerySet:
        return self.filter(organisation=organisation)


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    perspective = models.CharField(
        _("perspective"),
        max_length=30,
        choices=PERSPECTIVE_CHOICES,
        default=Perspective.OTHER_STAFF.value,
        help_text=_("How this person takes part in co-production."),
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_membership_per_organisation"
            )
        ]
        ordering = ["user__name"]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def for_organisation(self, organisation: Organisation) -> InvitationQuerySet:
        return self.filter(organisation=organisation)

    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An emailed link to join an organisation. Only a hash of the link's token is kept."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    perspective = models.CharField(_("perspective"), max_length=30, choices=PERSPECTIVE_CHOICES)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    #: Whether the invitation email went: None until it has been tried, once the invitation is
    #: committed (services.invitation_create). Not stored: it is for telling whoever sent it.
    email_sent: bool | None = None

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"

    @staticmethod
    def new_raw_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None and not self.is_expired


def new_figures_version() -> str:
    return uuid.uuid4().hex


class FiguresVersion(models.Model):
    """Which version of an organisation's data its kept figures (the values dashboard, the
    overview's flags) were drawn from: a new random token, written in the same transaction as
    every change to the rows those figures count (withpeople.organisations.figures).

    A process keeps figures under the token it read before drawing them, so a committed change
    makes a new key at once in every process. A random token rather than a counter, so that two
    databases (or a test's rolled-back data) never share a key.
    """

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="figures_version",
    )
    token = models.CharField(_("token"), max_length=32, default=new_figures_version)

    class Meta:
        verbose_name = _("version of the figures")
        verbose_name_plural = _("versions of the figures")

    def __str__(self) -> str:
        return self.token
