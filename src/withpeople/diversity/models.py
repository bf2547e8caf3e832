"""Diversity monitoring, with consent.

Diversity answers are special category data (UK GDPR Article 9: racial or ethnic origin,
religion, health, sex life or sexual orientation), so they are kept apart from everything else,
stored only after the person's own explicit consent (Article 9(2)(a)), shown only as suppressed
aggregates, and erased when the person withdraws. Only organisation members answer, for
themselves: staff never enter diversity data on someone else's behalf.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.organisations.models import Membership, Organisation


class DiversityCategoryQuerySet(models.QuerySet["DiversityCategory"]):
    def for_organisation(self, organisation: Organisation) -> DiversityCategoryQuerySet:
        return self.filter(organisation=organisation)


class DiversityCategory(models.Model):
    """One monitoring question an organisation asks, e.g. "What is your age?"."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="diversity_categories",
    )
    name = models.CharField(
        _("short name"),
        max_length=100,
        help_text=_("How the figures are headed, for example Age or Disability."),
    )
    question = models.CharField(
        _("question"),
        max_length=300,
        help_text=_("What people are asked, for example What is your age?"),
    )
    hint = models.CharField(_("hint"), max_length=300, blank=True)
    target_description = models.TextField(
        _("who you want to reach"),
        blank=True,
        help_text=_(
            "Describe who you want your co-production to include, for example the make-up of "
            "the people who use your services. Shown beside the figures."
        ),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = DiversityCategoryQuerySet.as_manager()

    class Meta:
        # Kept under its first name: these questions and answers began in the privacy app.
        db_table = "privacy_diversitycategory"
        verbose_name = _("diversity question")
        verbose_name_plural = _("diversity questions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class DiversityOption(models.Model):
    category = models.ForeignKey(
        DiversityCategory,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="options",
    )
    label = models.CharField(_("answer"), max_length=150)
    target_percentage = models.DecimalField(
        _("target percentage"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The share of people you aim to include with this answer, if you have one."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        # Kept under its first name: these questions and answers began in the privacy app.
        db_table = "privacy_diversityoption"
        verbose_name = _("diversity answer option")
        verbose_name_plural = _("diversity answer options")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class DiversityConsentQuerySet(models.QuerySet["DiversityConsent"]):
    def for_organisation(self, organisation: Organisation) -> DiversityConsentQuerySet:
        return self.filter(membership__organisation=organisation)


class DiversityConsent(models.Model):
    """A person's explicit consent to keep their diversity answers, in the words they saw."""

    membership = models.OneToOneField(
        Membership,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="diversity_consent",
    )
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    wording = models.TextField(_("wording agreed to"))

    objects = DiversityConsentQuerySet.as_manager()

    class Meta:
        # Kept under its first name: these questions and answers began in the privacy app.
        db_table = "privacy_diversityconsent"
        verbose_name = _("diversity monitoring consent")
        verbose_name_plural = _("diversity monitoring consents")

    def __str__(self) -> str:
        return f"Consent {self.pk}"


class DiversityAnswerQuerySet(models.QuerySet["DiversityAnswer"]):
    def for_organisation(self, organisation: Organisation) -> DiversityAnswerQuerySet:
        return self.filter(membership__organisation=organisation)


class DiversityAnswer(models.Model):
    """One person's answer to one question. No option means "Prefer not to say"."""

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="diversity_answers",
    )
    category = models.ForeignKey(
        DiversityCategory,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    option = models.ForeignKey(
        DiversityOption,
        verbose_name=_("answer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
        help_text=_("Empty means the person preferred not to say."),
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    objects = DiversityAnswerQuerySet.as_manager()

    class Meta:
        # Kept under its first name: these questions and answers began in the privacy app.
        db_table = "privacy_diversityanswer"
        verbose_name = _("diversity answer")
        verbose_name_plural = _("diversity answers")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "category"], name="one_diversity_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk}"
