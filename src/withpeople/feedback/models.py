"""Making It Real: frameworks of I and We statements, review cycles and anonymous feedback.

Frameworks are data (see withpeople.domain.mir.framework): our own default wording ships with
WithPeople, and an organisation can load the official text or its own. Feedback is anonymous: a
response keeps the date, an optional perspective and how it reached us, never who gave it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.core.domain_text import ANSWER_CHOICES
from withpeople.organisations.models import PERSPECTIVE_CHOICES, Organisation


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def available_to(self, organisation: Organisation) -> FrameworkQuerySet:
        """Frameworks loaded for every organisation on this site, and the organisation's own."""
        return self.filter(
            models.Q(organisation__isnull=True) | models.Q(organisation=organisation)
        )


class Framework(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="frameworks",
        help_text=_("Empty for a framework every organisation on this site can use."),
    )
    key = models.SlugField(_("key"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    source = models.TextField(_("framework file"), help_text=_("The YAML it was loaded from."))
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="framework_key_unique_in_organisation"
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(organisation__isnull=True),
                name="site_framework_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="themes"
    )
    key = models.SlugField(_("key"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="theme_key_unique")
        ]

    def __str__(self) -> str:
        return self.title


class StatementKind(models.TextChoices):
    I = "I", _("I statement")  # noqa: E741 - the framework's own name for it
    WE = "We", _("We statement")


class Statement(models.Model):
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="statements"
    )
    key = models.CharField(_("key"), max_length=60)
    kind = models.CharField(_("kind"), max_length=2, choices=StatementKind.choices)
    text = models.TextField(_("wording"))
    easy_read = models.TextField(_("easy-read wording"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["theme__position", "position", "id"]

    def __str__(self) -> str:
        return self.text


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Not open yet")
    OPEN = "open", _("Open for feedback")
    CLOSED = "closed", _("Closed")


def new_public_code() -> str:
    return secrets.token_urlsafe(6)


class ReviewCycleQuerySet(models.QuerySet["ReviewCycle"]):
    def for_organisation(self, organisation: Organisation) -> ReviewCycleQuerySet:
        return self.filter(organisation=organisation)


class ReviewCycle(models.Model):
    """A period in which an organisation gathers feedback, assesses itself and agrees actions."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="review_cycles",
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="cycles"
    )
    slug = models.SlugField(_("short name"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CycleStatus.choices, default=CycleStatus.DRAFT
    )
    public_code = models.CharField(
        _("short link code"), max_length=20, unique=True, default=new_public_code, editable=False
    )
    look_again_on = models.DateField(_("when we will look again"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ReviewCycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        ordering = ["-starts_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="cycle_slug_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    ONLINE = "online", _("Online form")
    EASY_READ = "easy_read", _("Easy-read online form")
    PAPER = "paper", _("Paper form, entered by staff")
    PHONE = "phone", _("Phone or in person, entered by staff")
    IMPORTED = "imported", _("Imported from a file")
    API = "api", _("Sent through the API")


class Response(models.Model):
    """One person's anonymous feedback in a cycle. Nothing here says who gave it."""

    cycle = models.ForeignKey(
        ReviewCycle,
        verbose_name=_("review cycle"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate)
    perspective = models.CharField(
        _("perspective"), max_length=30, choices=PERSPECTIVE_CHOICES, blank=True
    )
    channel = models.CharField(_("how it reached us"), max_length=20, choices=Channel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The member of staff who entered a paper or phone response, or who sent or imported it."
        ),
    )
    import_ref = models.CharField(_("reference in the imported file"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["cycle", "submitted_on"], name="response_cycle_date"),
            # A cycle's responses in order, so its answers are read response by response
            # through the answers' own index, without reading other cycles' (the answers export).
            models.Index(fields=["cycle", "id"], name="response_cycle_in_order"),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.cycle}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="answers"
    )
    answer = models.CharField(_("answer"), max_length=20, choices=ANSWER_CHOICES)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement"], name="one_answer_per_statement"
            )
        ]

    def __str__(self) -> str:
        return self.answer


class Story(models.Model):
    """A person's own words about a theme. Published only when chosen, never with a name."""

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="stories"
    )
    #: The response's cycle, kept on the story too, so that a cycle's stories (every page of
    #: the results, You said, we did) are read through their own index rather than by
    #: joining every response of the cycle. Set from the response when the story is saved.
    cycle = models.ForeignKey(
        ReviewCycle,
        verbose_name=_("review cycle"),
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        db_index=False,  # the index below starts with it
        help_text=_("The review cycle of the response the story was told in."),
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="stories"
    )
    text = models.TextField(_("story"))
    chosen_for_publication = models.BooleanField(_("chosen for You said, we did"), default=False)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            models.Index(fields=["cycle", "chosen_for_publication"], name="story_cycle_chosen"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args, **kwargs) -> None:
        if self.cycle_id is None and self.response_id is not None:
            self.cycle_id = self.response.cycle_id
        super().save(*args, **kwargs)


def _picture_path(instance: StatementPicture, filename: str) -> str:
    # The name the person gave the file is not kept: it might say who drew or chose it.
    extension = "png" if instance.content_type == "image/png" else "jpg"
    return f"feedback/pictures/{instance.organisation_id}/{secrets.token_hex(8)}.{extension}"


class StatementPictureQuerySet(models.QuerySet["StatementPicture"]):
    def for_organisation(self, organisation: Organisation) -> StatementPictureQuerySet:
        return self.filter(organisation=organisation)


class StatementPicture(models.Model):
    """A picture an organisation chose to go beside a statement's easy-read wording."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="statement_pictures",
    )
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="pictures"
    )
    image = models.FileField(_("picture"), upload_to=_picture_path, max_length=200)
    content_type = models.CharField(
        _("type of picture"),
        max_length=20,
        choices=[("image/png", "PNG"), ("image/jpeg", "JPEG")],
    )
    alt_text = models.CharField(
        _("description of the picture"),
        max_length=250,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = StatementPictureQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement picture")
        verbose_name_plural = _("statement pictures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "statement"], name="one_picture_per_statement"
            )
        ]

    def __str__(self) -> str:
        return self.alt_text


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    CHECKING = "checking", _("Checking the file")
    SAVING = "saving", _("Saving the answers")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


def _import_path(instance: ImportJob, filename: str) -> str:
    return f"feedback/imports/{instance.organisation_id}/{secrets.token_hex(12)}.csv"


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def for_organisation(self, organisation: Organisation) -> ImportJobQuerySet:
        return self.filter(organisation=organisation)


class ImportJob(models.Model):
    """A responses file being imported in the background, with its progress.

    The upload is saved, then a task (`withpeople.feedback.tasks.import_run`), run by
    `withpeople worker`, checks and imports it, writing its progress here as it goes. The
    answers and the job's "done" are saved in one transaction.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="feedback_imports",
    )
    cycle = models.ForeignKey(
        ReviewCycle,
        verbose_name=_("review cycle"),
        on_delete=models.CASCADE,
        related_name="imports",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=_import_path, max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    errors = models.JSONField(_("problems found"), default=list, blank=True)
    responses_created = models.PositiveIntegerField(_("responses imported"), default=0)
    answers_created = models.PositiveIntegerField(_("answers imported"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    progress_at = models.DateTimeField(
        _("last progress at"),
        null=True,
        blank=True,
        help_text=_("When the job last showed it was running, to notice one that has stopped."),
    )
    attempts = models.PositiveIntegerField(
        _("attempts"),
        default=0,
        help_text=_("How many times the job has been started."),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    task_id = models.CharField(
        _("task"),
        max_length=64,
        blank=True,
        help_text=_("The background task that imports the file, once it has been enqueued."),
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.pk} into {self.cycle}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class AnswerTally(models.Model):
    """How many answers a cycle has of each kind, kept as answers are saved.

    One row per cycle, I statement, perspective ("" when none was given) and answer, so a
    cycle's results (and its themes', which pool their statements) are read from a few hundred
    rows however many answers there are. `withpeople.feedback.tallies` keeps them in step, in
    the transaction that saves or removes the answers; `withpeople mir reconcile` checks them.
    """

    cycle = models.ForeignKey(
        ReviewCycle,
        verbose_name=_("review cycle"),
        on_delete=models.CASCADE,
        related_name="answer_tallies",
    )
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="+"
    )
    perspective = models.CharField(
        _("perspective"), max_length=30, choices=PERSPECTIVE_CHOICES, blank=True
    )
    answer = models.CharField(_("answer"), max_length=20, choices=ANSWER_CHOICES)
    n = models.PositiveIntegerField(_("number of answers"), default=0)

    class Meta:
        verbose_name = _("answer tally")
        verbose_name_plural = _("answer tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "statement", "perspective", "answer"],
                name="answer_tally_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.n} answers {self.answer}"


class ResponseTally(models.Model):
    """How many responses a cycle has from each perspective, kept as responses are saved."""

    cycle = models.ForeignKey(
        ReviewCycle,
        verbose_name=_("review cycle"),
        on_delete=models.CASCADE,
        related_name="response_tallies",
    )
    perspective = models.CharField(
        _("perspective"), max_length=30, choices=PERSPECTIVE_CHOICES, blank=True
    )
    n = models.PositiveIntegerField(_("number of responses"), default=0)

    class Meta:
        verbose_name = _("response tally")
        verbose_name_plural = _("response tallies")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "perspective"], name="response_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.n} responses"


class ResultsStepQuerySet(models.QuerySet["ResultsStep"]):
    def latest_for(self, cycle_id: int) -> ResultsStep | None:
        return self.filter(cycle_id=cycle_id).order_by("-published_at", "-pk").first()


class ResultsStep(models.Model):
    """A published step of a cycle's feedback results: what every page, export and API reads.

    The kept counts (`AnswerTally`, `ResponseTally`) change with every answer; the results
    shown change only when a step is published (`withpeople.feedback.steps`), by the rule in
    `withpeople.domain.suppression.next_results_step`, so nobody can watch one answer arrive.
    Earlier steps are kept: they are what readers saw.
    """

    cycle = models.ForeignKey(
        ReviewCycle,
        verbose_name=_("review cycle"),
        on_delete=models.CASCADE,
        related_name="results_steps",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    responses = models.PositiveIntegerField(_("number of responses"), default=0)
    #: [[statement key, perspective or "", answer, n], ...]
    answers = models.JSONField(_("answers counted"), default=list)

    objects = ResultsStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("published step of results")
        verbose_name_plural = _("published steps of results")
        indexes = [models.Index(fields=["cycle", "published_at"], name="results_step_latest")]

    def __str__(self) -> str:
        return f"Results of {self.cycle} at {self.published_at:%Y-%m-%d %H:%M}"
