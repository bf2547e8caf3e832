"""How long each organisation keeps personal data."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from withpeople.organisations.models import Organisation


class RetentionSettings(models.Model):
    """How long an organisation keeps personal data it no longer needs.

    Applied daily by `withpeople retention apply`. UK GDPR Article 5(1)(e): personal data is
    kept no longer than necessary. Diversity answers need no period: they are deleted with the
    membership as soon as someone stops being a member, and whenever they withdraw consent.
    """

    DEFAULT_LEFT_GROUP_MONTHS = 24
    DEFAULT_FAILED_SIGN_IN_DAYS = 90
    DEFAULT_AUDIT_YEARS = 6
    # HMRC asks for records supporting payments and expenses to be kept for six years.
    DEFAULT_RECEIPT_MONTHS = 72

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="retention_settings",
    )
    left_group_months = models.PositiveSmallIntegerField(
        _("people who left a group, in months"),
        default=DEFAULT_LEFT_GROUP_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_(
            "After this many months their name and contact details are replaced by "
            "Former member and a number. What they took part in is still counted."
        ),
    )
    failed_sign_in_days = models.PositiveSmallIntegerField(
        _("sign-in records, in days"),
        default=DEFAULT_FAILED_SIGN_IN_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_(
            "Records of sign-ins and failed sign-ins are kept for the whole site, so the "
            "shortest period any organisation sets is the one used."
        ),
    )
    audit_years = models.PositiveSmallIntegerField(
        _("audit log, in years"),
        default=DEFAULT_AUDIT_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    receipt_months = models.PositiveSmallIntegerField(
        _("expense receipts, in months"),
        default=DEFAULT_RECEIPT_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("retention settings")
        verbose_name_plural = _("retention settings")

    def __str__(self) -> str:
        return f"Retention for {self.organisation}"
