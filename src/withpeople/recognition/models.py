"""Recognition: the organisation's policy, time given, how people want to be recognised,
payments and vouchers, and expense claims with receipts.

Everything here is private to one organisation and, within it, to the person it is about and
the organisation's staff and admins (see `withpeople.recognition.access`). Money is stored as
`DecimalField(max_digits=10, decimal_places=2)` and handled as `Decimal` only: the rules are in
`withpeople.domain.money`.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.domain.money import MAX_MINUTES
from withpeople.groups.models import GroupMember
from withpeople.organisations.models import Organisation
from withpeople.works.models import Activity

MONEY = {"max_digits": 10, "decimal_places": 2}
POSITIVE_MONEY = [MinValueValidator(Decimal("0"))]


class RecognitionPolicy(models.Model):
    """How an organisation recognises the time people give. One per organisation, edited by
    its admins; `version` goes up by one with every change so a payment can say which it used.
    """

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="recognition_policy",
    )
    hourly_rate = models.DecimalField(
        _("rate per hour (£)"), **MONEY, null=True, blank=True, validators=POSITIVE_MONEY
    )
    half_day_rate = models.DecimalField(
        _("rate for a half day (£)"),
        **MONEY,
        null=True,
        blank=True,
        validators=POSITIVE_MONEY,
        help_text=_("Paid for more than 3 hours, up to 5 hours."),
    )
    day_rate = models.DecimalField(
        _("rate for a day (£)"),
        **MONEY,
        null=True,
        blank=True,
        validators=POSITIVE_MONEY,
        help_text=_("Paid for more than 5 hours."),
    )
    voucher_provider = models.CharField(
        _("voucher provider"),
        max_length=200,
        blank=True,
        help_text=_("For example, a high-street gift card or a local shop."),
    )
    voucher_value_per_hour = models.DecimalField(
        _("voucher value per hour (£)"), **MONEY, null=True, blank=True, validators=POSITIVE_MONEY
    )
    voucher_value_per_session = models.DecimalField(
        _("voucher value per session (£)"),
        **MONEY,
        null=True,
        blank=True,
        validators=POSITIVE_MONEY,
        help_text=_("Used when there is no value per hour."),
    )
    benefits_advice_text = models.TextField(
        _("benefits advice"),
        blank=True,
        help_text=_(
            "Shown to everyone choosing payment or vouchers: where to get free, independent "
            "advice on how payments can affect benefits."
        ),
    )
    benefits_advice_url = models.URLField(_("link to benefits advice"), blank=True, max_length=500)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recognition policy")
        verbose_name_plural = _("recognition policies")

    def __str__(self) -> str:
        return f"{self.organisation} recognition policy v{self.version}"


class ExpenseCategoryQuerySet(models.QuerySet["ExpenseCategory"]):
    def for_organisation(self, organisation: Organisation) -> ExpenseCategoryQuerySet:
        return self.filter(organisation=organisation)


class ExpenseCategory(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="expense_categories",
    )
    name = models.CharField(_("name"), max_length=100)
    limit_per_claim = models.DecimalField(
        _("limit per claim (£)"),
        **MONEY,
        null=True,
        blank=True,
        validators=POSITIVE_MONEY,
        help_text=_("Leave empty for no limit. A claim over the limit needs a reason."),
    )
    receipt_required = models.BooleanField(_("a receipt is needed"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = ExpenseCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("expense category")
        verbose_name_plural = _("expense categories")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="expense_category_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TimeRecordQuerySet(models.QuerySet["TimeRecord"]):
    def for_organisation(self, organisation: Organisation) -> TimeRecordQuerySet:
        """Time records hold personal data: always start here."""
        return self.filter(organisation=organisation)


class TimeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed: waiting for the person to confirm it")
    CONFIRMED = "confirmed", _("Confirmed")


class TimeRecord(models.Model):
    """Time one person gave, on one day, to an activity or to their group's work in general.

    Time recorded from a meeting's attendance is `proposed` until the person confirms it or
    changes it, so nobody has to type it again and nobody is paid for time they did not give.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="time_records",
    )
    member = models.ForeignKey(
        GroupMember,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="time_records",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="time_records",
        help_text=_("Leave empty for time given to the group outside an activity."),
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)]
    )
    description = models.CharField(_("what the time was for"), max_length=300, blank=True)
    payment = models.ForeignKey(
        "Payment",
        verbose_name=_("payment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="time_records",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TimeStatus.choices, default=TimeStatus.CONFIRMED
    )
    thanked_on = models.DateField(
        _("thanked on"),
        null=True,
        blank=True,
        help_text=_("For people who asked to be thanked only: when they were thanked."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TimeRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("time record")
        verbose_name_plural = _("time records")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.date} {self.minutes} min"

    def clean(self) -> None:
        if self.member_id and self.member.group.organisation_id != self.organisation_id:
            raise ValidationError({"member": _("Choose someone in one of your groups.")})
        if self.activity_id and self.activity.work.organisation_id != self.organisation_id:
            raise ValidationError({"activity": _("Choose one of your organisation's activities.")})
        if (
            self.activity_id
            and self.member_id
            and self.activity.work.group_id != self.member.group_id
        ):
            raise ValidationError(
                {
                    "activity": _(
                        "Choose an activity of the piece of work %(group)s is the group for, or "
                        "No activity."
                    )
                    % {"group": self.member.group.name}
                }
            )


class Preference(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    VOUCHERS = "vouchers", _("Vouchers")
    THANKS = "thanks", _("Thanks only — no payment or vouchers")
    DECLINE = "decline", _("No recognition — no payment, vouchers or thanks")


class RecognitionPreferenceQuerySet(models.QuerySet["RecognitionPreference"]):
    def for_organisation(self, organisation: Organisation) -> RecognitionPreferenceQuerySet:
        return self.filter(member__group__organisation=organisation)


class RecognitionPreference(models.Model):
    """How one person wants their time recognised, for one group they belong to."""

    member = models.OneToOneField(
        GroupMember,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="recognition_preference",
    )
    choice = models.CharField(
        _("how they want to be recognised"), max_length=20, choices=Preference.choices
    )
    payment_details = models.TextField(
        _("bank or payment details"),
        blank=True,
        help_text=_("Where payments or vouchers should go. Erased when the person asks."),
    )
    notes = models.TextField(_("notes"), blank=True)
    benefits_note_seen = models.BooleanField(
        _("the person has seen the note about benefits"), default=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RecognitionPreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition preference")
        verbose_name_plural = _("recognition preferences")

    def __str__(self) -> str:
        return f"{self.member}: {self.get_choice_display()}"


class MoneyStatus(models.TextChoices):
    DUE = "due", _("Due")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    VOUCHER = "voucher", _("Voucher")
    OTHER = "other", _("Other")


class PaymentQuerySet(models.QuerySet["Payment"]):
    def for_organisation(self, organisation: Organisation) -> PaymentQuerySet:
        """Payments are private to the person and the organisation's staff: start here."""
        return self.filter(organisation=organisation)


class Payment(models.Model):
    """A payment or vouchers for time given. Status goes due, then approved, then paid."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="recognition_payments",
    )
    member = models.ForeignKey(
        GroupMember,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="recognition_payments",
    )
    amount = models.DecimalField(
        _("amount (£)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    method = models.CharField(_("how it is paid"), max_length=20, choices=PaymentMethod.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=MoneyStatus.choices, default=MoneyStatus.DUE
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    policy_version = models.PositiveIntegerField(_("policy version used"), null=True, blank=True)
    over_policy_reason = models.TextField(
        _("reason for paying more than the policy gives"),
        blank=True,
        help_text=_(
            "Needed when the amount is more than the policy gives for the time chosen, or when "
            "no time is chosen."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.member} £{self.amount} {self.status}"


def receipt_upload_to(instance: ExpenseClaim, filename: str) -> str:
    """A random name: the person's own file name is never kept or shown in a web address."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"receipts/{instance.organisation_id}/{uuid.uuid4().hex}.{extension}"


class ExpenseClaimQuerySet(models.QuerySet["ExpenseClaim"]):
    def for_organisation(self, organisation: Organisation) -> ExpenseClaimQuerySet:
        """Claims are private to the person and the organisation's staff: start here."""
        return self.filter(organisation=organisation)


class ExpenseClaim(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="expense_claims",
    )
    member = models.ForeignKey(
        GroupMember,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="expense_claims",
    )
    category = models.ForeignKey(
        ExpenseCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    date = models.DateField(_("date of the expense"))
    description = models.CharField(_("what it was for"), max_length=300)
    amount = models.DecimalField(
        _("amount (£)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    over_limit_reason = models.TextField(_("reason for going over the limit"), blank=True)
    receipt = models.FileField(
        _("receipt"), upload_to=receipt_upload_to, blank=True, max_length=200
    )
    receipt_content_type = models.CharField(_("receipt file type"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MoneyStatus.choices, default=MoneyStatus.DUE
    )
    rejected_reason = models.TextField(_("reason for rejecting"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or rejected by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ExpenseClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.category} £{self.amount}"

    @property
    def over_limit(self) -> bool:
        limit = self.category.limit_per_claim
        return limit is not None and self.amount is not None and self.amount > limit

    def clean(self) -> None:
        errors = {}
        if self.member_id and self.member.group.organisation_id != self.organisation_id:
            errors["member"] = _("Choose someone in one of your groups.")
        if self.category_id:
            if self.category.organisation_id != self.organisation_id:
                errors["category"] = _("Choose one of the categories listed.")
            elif self.over_limit and not self.over_limit_reason.strip():
                errors["over_limit_reason"] = _(
                    "This is more than the limit of £%(limit)s for %(category)s. Enter a "
                    "reason for going over the limit, or claim a smaller amount."
                ) % {"limit": self.category.limit_per_claim, "category": self.category.name}
            elif self.category.receipt_required and not self.receipt:
                errors["receipt"] = _("Upload a receipt: %(category)s claims need one.") % {
                    "category": self.category.name
                }
        if self.status == MoneyStatus.REJECTED and not self.rejected_reason.strip():
            errors["rejected_reason"] = _("Enter the reason for rejecting the claim.")
        if errors:
            raise ValidationError(errors)


@receiver(post_delete, sender=ExpenseClaim)
def delete_receipt_file(sender, instance: ExpenseClaim, **kwargs) -> None:
    """A deleted claim (also when its person or organisation is deleted) takes its receipt
    file with it, once the deletion has committed, so no orphan files are left behind."""
    if instance.receipt and instance.receipt.name:
        storage, name = instance.receipt.storage, instance.receipt.name
        transaction.on_commit(lambda: storage.delete(name))
