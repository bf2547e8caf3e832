"""Self-assessment on the We statements, action plans and You said, we did.

Everything here belongs to a review cycle, and so to one organisation: every manager needs the
organisation (`for_organisation`) so that a page cannot list another organisation's ratings or
actions by mistake.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.feedback.models import ReviewCycle, Statement, Story
from withpeople.organisations.models import PERSPECTIVE_CHOICES, Membership, Organisation


class Level(models.TextChoices):
    """Where the organisation is on a We statement (see withpeople.domain.mir.self_assessment)."""

    NOT_YET = "not_yet", _("Not yet")
    STARTED = "started", _("Started")
    MOSTLY = "mostly", _("Mostly")
    FULLY = "fully", _("Fully")


class RatingQuerySet(models.QuerySet["Rating"]):
    def for_organisation(self, organisation: Organisation) -> RatingQuerySet:
        return self.filter(cycle__organisation=organisation)


class Rating(models.Model):
    """One member's view of where the organisation is on one We statement, in one cycle."""

    cycle = models.ForeignKey(
        ReviewCycle,
        verbose_name=_("review cycle"),
        on_delete=models.CASCADE,
        related_name="self_assessment_ratings",
    )
    statement = models.ForeignKey(
        Statement, verbose_name=_("We statement"), on_delete=models.CASCADE, related_name="+"
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("rated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="self_assessment_ratings",
        help_text=_(
            "Empty once the person has been erased: their rating still counts, without them."
        ),
    )
    perspective = models.CharField(
        _("perspective of the person rating"),
        max_length=30,
        choices=PERSPECTIVE_CHOICES,
        help_text=_("Kept with the rating so staff's and partners' views can still be compared."),
    )
    level = models.CharField(_("where we are"), max_length=20, choices=Level.choices)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("What you have seen that shows where the organisation is."),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-assessment rating")
        verbose_name_plural = _("self-assessment ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "statement", "membership"], name="one_rating_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement.key}: {self.level}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    CHANGE_MADE = "change_made", _("Change made")
    NOT_POSSIBLE = "not_possible", _("Not possible")


#: Statuses that must say what changed, or why it could not, before the action is published.
STATUSES_NEEDING_EXPLANATION = frozenset({ActionStatus.CHANGE_MADE, ActionStatus.NOT_POSSIBLE})


class ActionQuerySet(models.QuerySet["Action"]):
    def for_organisation(self, organisation: Organisation) -> ActionQuerySet:
        return self.filter(cycle__organisation=organisation)

    def published(self) -> ActionQuerySet:
        return self.filter(published=True)


class Action(models.Model):
    """Something the organisation agreed to do about what people told it."""

    cycle = models.ForeignKey(
        ReviewCycle,
        verbose_name=_("review cycle"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    title = models.CharField(_("what we will do"), max_length=200)
    description = models.TextField(_("more detail"), blank=True)
    statements = models.ManyToManyField(
        Statement, verbose_name=_("statements"), related_name="+", blank=True
    )
    stories = models.ManyToManyField(
        Story, verbose_name=_("stories behind it"), related_name="+", blank=True
    )
    owners = models.ManyToManyField(
        Membership, verbose_name=_("owners"), related_name="improvement_actions", blank=True
    )
    due_on = models.DateField(_("due by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    explanation = models.TextField(
        _("what changed, or why it was not possible"),
        blank=True,
        help_text=_("Needed before an action marked change made or not possible is published."),
    )
    published = models.BooleanField(_("published on You said, we did"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def needs_explanation(self) -> bool:
        return self.status in STATUSES_NEEDING_EXPLANATION

    def clean(self) -> None:
        super().clean()
        if self.published and self.needs_explanation and not self.explanation.strip():
            raise ValidationError(
                {
                    "explanation": _(
                        "Say what changed, or why it was not possible, before you publish an "
                        "action marked %(status)s"
                    )
                    % {"status": self.get_status_display().lower()}
                }
            )


class PublicationQuerySet(models.QuerySet["Publication"]):
    def for_organisation(self, organisation: Organisation) -> PublicationQuerySet:
        return self.filter(cycle__organisation=organisation)


class Publication(models.Model):
    """A cycle's You said, we did page is public while one of these exists."""

    cycle = models.OneToOneField(
        ReviewCycle,
        verbose_name=_("review cycle"),
        on_delete=models.CASCADE,
        related_name="you_said_we_did",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("You said, we did publication")
        verbose_name_plural = _("You said, we did publications")

    def __str__(self) -> str:
        return f"You said, we did: {self.cycle}"
