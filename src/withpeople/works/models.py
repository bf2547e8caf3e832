"""Pieces of work, their aspects, and the evidence of what happened: activities and decisions.

Every aspect's intended rung starts at co-production; stepping down needs a reason, which is
shown to people in the openness statement (TLAP, "Which rung on the ladder of co-production are
you on?": start at the top, and be up front about any step down).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from withpeople.core.domain_text import DECIDER_CHOICES, REASON_CHOICES
from withpeople.core.ladder_labels import LEVEL_CHOICES, RUNG_CHOICES
from withpeople.domain import assessment as assessment_rules
from withpeople.domain.ladder import TOP
from withpeople.groups.models import Group, GroupMember
from withpeople.organisations.models import PERSPECTIVE_CHOICES, Membership, Organisation


class ErasableHistory(models.Model):
    """What every kept version of a piece of work, an aspect or a piece of evidence adds to
    django-simple-history's own columns: whether the personal data of the person who made the
    change was erased under the privacy rules. The version stays (what was said, when), without
    who said it, and the history shows that something was erased."""

    personal_data_erased = models.BooleanField(_("personal data erased"), default=False)

    class Meta:
        abstract = True


def _history(**options) -> HistoricalRecords:
    """Versions of a model, kept on every save by django-simple-history (see
    docs/decisions/0013-history.md). Who changed it and why are set by the services
    (`_history_user`, `_change_reason`), never by middleware, so the API and imports say so too."""
    return HistoricalRecords(bases=[ErasableHistory], **options)


def _recorded_by(verbose_name=None) -> models.ForeignKey:
    return models.ForeignKey(
        Membership,
        verbose_name=verbose_name or _("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class EvidenceQuerySet(models.QuerySet):
    def counted(self) -> EvidenceQuerySet:
        """Evidence that counts: not withdrawn. Withdrawn evidence stays, shown as withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self) -> EvidenceQuerySet:
        return self.filter(withdrawn_at__isnull=False)


class Withdrawable(models.Model):
    """Evidence is never deleted: it is withdrawn with a reason, and stays in the history."""

    recorded_by = _recorded_by()
    #: Empty for what was recorded before WithPeople kept who and when, rather than a made-up time.
    recorded_at = models.DateTimeField(
        _("recorded at"), default=timezone.now, null=True, blank=True
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = _recorded_by(_("withdrawn by"))
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)
    #: Who recorded or withdrew an entry brought in by a work record import: the name (and ref
    #: among the record's people) the record gives. A name read from a file grants nothing.
    recorded_by_name = models.CharField(
        _("recorded by, as the record named them"), max_length=150, blank=True
    )
    recorded_by_ref = models.CharField(
        _("recorded by, ref in the record"), max_length=150, blank=True
    )
    withdrawn_by_name = models.CharField(
        _("withdrawn by, as the record named them"), max_length=150, blank=True
    )
    withdrawn_by_ref = models.CharField(
        _("withdrawn by, ref in the record"), max_length=150, blank=True
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class WorkStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")
    PAUSED = "paused", _("Paused")


class WorkQuerySet(models.QuerySet["Work"]):
    def for_organisation(self, organisation: Organisation) -> WorkQuerySet:
        """Pieces of work are private to their organisation: always start here."""
        return self.filter(organisation=organisation)

    def published(self) -> WorkQuerySet:
        return self.filter(openness_published_at__isnull=False)


class Work(models.Model):
    """A piece of work: a strategy, a service redesign, a commissioning exercise, a support plan."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="works"
    )
    group = models.OneToOneField(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="work"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    level = models.CharField(_("level"), max_length=20, choices=LEVEL_CHOICES)
    status = models.CharField(
        _("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.PLANNING
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    leads = models.ManyToManyField(
        Membership, verbose_name=_("leads"), blank=True, related_name="led_works"
    )
    openness_published_at = models.DateTimeField(
        _("openness statement published at"), null=True, blank=True
    )
    openness_published_by = _recorded_by(_("openness statement published by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = WorkQuerySet.as_manager()
    history = _history(excluded_fields=["updated_at", "created_at"])

    class Meta:
        verbose_name = _("piece of work")
        verbose_name_plural = _("pieces of work")
        ordering = ["-created_at"]
        indexes = [
            # The list of pieces of work pages, sorts and filters within one organisation.
            models.Index(fields=["organisation", "-created_at"], name="work_org_created"),
            models.Index(fields=["organisation", "level"], name="work_org_level"),
            models.Index(fields=["organisation", "status"], name="work_org_status"),
            models.Index(fields=["organisation", "title"], name="work_org_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("The end date must be on or after the start date.")}
            )


class Aspect(models.Model):
    """A part of a piece of work that can sit on its own rung."""

    work = models.ForeignKey(
        Work, verbose_name=_("piece of work"), on_delete=models.CASCADE, related_name="aspects"
    )
    key = models.SlugField(_("key"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    intended_rung = models.CharField(
        _("intended rung"), max_length=20, choices=RUNG_CHOICES, default=TOP.slug
    )
    reason_category = models.CharField(
        _("reason for stepping down"), max_length=30, choices=REASON_CHOICES, blank=True
    )
    reason_explanation = models.TextField(
        _("why, in plain English"),
        blank=True,
        help_text=_("This is shown to people in the openness statement."),
    )
    recorded_by = _recorded_by(_("plan set by"))
    recorded_at = models.DateTimeField(
        _("plan set at"), default=timezone.now, null=True, blank=True
    )

    history = _history(excluded_fields=["position"])

    class Meta:
        verbose_name = _("aspect")
        verbose_name_plural = _("aspects")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "key"], name="aspect_key_unique_in_work")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.intended_rung != TOP.slug:
            errors = {}
            if not self.reason_category:
                errors["reason_category"] = _(
                    "Choose the reason for stepping down from co-production."
                )
            if not self.reason_explanation.strip():
                errors["reason_explanation"] = _(
                    "Explain, in plain English, why this aspect cannot be fully co-produced."
                )
            if errors:
                raise ValidationError(errors)


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    MEETING = "meeting", _("Meeting")
    SURVEY = "survey", _("Survey")
    EVENT = "event", _("Event")
    WORKING_GROUP = "working_group", _("Working group")
    DELIVERY_TASK = "delivery_task", _("Delivery task")
    OTHER = "other", _("Other")


class Activity(Withdrawable):
    """Something that happened with people, and what part partners had in it."""

    work = models.ForeignKey(
        Work, verbose_name=_("piece of work"), on_delete=models.CASCADE, related_name="activities"
    )
    aspect = models.ForeignKey(
        Aspect, verbose_name=_("aspect"), on_delete=models.CASCADE, related_name="activities"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of activity"), max_length=60, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    participants = models.ManyToManyField(
        GroupMember,
        verbose_name=_("who took part"),
        through="Participation",
        related_name="activities",
        blank=True,
    )
    organisers = models.ManyToManyField(
        Membership,
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_activities",
        help_text=_("Organisers see the access needs of the people taking part."),
    )
    explained_services = models.BooleanField(
        _("services were explained to partners"), default=False
    )
    informed_of_decisions = models.BooleanField(_("partners were told of decisions"), default=False)
    views_sought = models.BooleanField(_("partners' views were sought"), default=False)
    partners_shaped_agenda = models.BooleanField(_("partners shaped the agenda"), default=False)
    partners_generated_options = models.BooleanField(_("partners generated options"), default=False)
    partners_delivered = models.BooleanField(_("partners took on delivery"), default=False)

    history = _history()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} on {self.date:%d %B %Y}"


class Participation(models.Model):
    """One person taking part in one activity."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    member = models.ForeignKey(
        GroupMember,
        verbose_name=_("group member"),
        on_delete=models.CASCADE,
        related_name="participations",
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="one_place_per_activity")
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.activity}"


class Decision(Withdrawable):
    work = models.ForeignKey(
        Work, verbose_name=_("piece of work"), on_delete=models.CASCADE, related_name="decisions"
    )
    aspect = models.ForeignKey(
        Aspect, verbose_name=_("aspect"), on_delete=models.CASCADE, related_name="decisions"
    )
    date = models.DateField(_("date decided"))
    summary = models.TextField(_("what was decided"))
    decided_by = models.CharField(_("who decided"), max_length=30, choices=DECIDER_CHOICES)
    partner_input_changed_it = models.BooleanField(
        _("partners' input changed the decision"), default=False
    )
    change = models.TextField(_("how partners' input changed it"), blank=True)
    feedback_given_on = models.DateField(
        _("date partners were told the outcome"),
        null=True,
        blank=True,
        help_text=_("Closing the loop: when partners heard what was decided and why."),
    )

    history = _history()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.summary[:80]

    def clean(self) -> None:
        if self.feedback_given_on and self.date and self.feedback_given_on < self.date:
            raise ValidationError(
                {
                    "feedback_given_on": _(
                        "The date partners were told must be on or after the date decided."
                    )
                }
            )


class PersonRef(models.Model):
    """The pseudonym a group member has in the portable work record (``people[].ref``).

    Kept so that a record imported and exported again keeps its own refs; members added on the
    web have none and are exported as ``person-<id>``, never by name.
    """

    member = models.OneToOneField(
        GroupMember,
        verbose_name=_("group member"),
        on_delete=models.CASCADE,
        related_name="record_ref",
    )
    ref = models.CharField(_("reference in the work record"), max_length=150)

    class Meta:
        verbose_name = _("reference in a work record")
        verbose_name_plural = _("references in work records")

    def __str__(self) -> str:
        return self.ref


class CheckinRoundQuerySet(models.QuerySet["CheckinRound"]):
    def for_organisation(self, organisation: Organisation) -> CheckinRoundQuerySet:
        return self.filter(work__organisation=organisation)

    def open(self) -> CheckinRoundQuerySet:
        return self.filter(closed_at__isnull=True)

    def closed(self) -> CheckinRoundQuerySet:
        return self.filter(closed_at__isnull=False)

    def overdue(self, today: dt.date) -> CheckinRoundQuerySet:
        """Open rounds whose last day to answer was before `today`."""
        return self.open().filter(closes_on__lt=today)

    def closing_within(self, today: dt.date, days: int) -> CheckinRoundQuerySet:
        """Open rounds whose last day to answer is between `today` and `days` days later."""
        return self.open().filter(
            closes_on__gte=today, closes_on__lte=today + dt.timedelta(days=days)
        )


class CheckinRound(models.Model):
    """A period in which the group says, anonymously, where they think each aspect is.

    Results come only from closed rounds: while a round is open, watching the result change after
    one more answer would show what that one person said.
    """

    work = models.ForeignKey(
        Work,
        verbose_name=_("piece of work"),
        on_delete=models.CASCADE,
        related_name="checkin_rounds",
    )
    name = models.CharField(_("name"), max_length=100)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closes_on = models.DateField(
        _("closes on"),
        null=True,
        blank=True,
        help_text=_(
            "The last day people can answer. The round closes at the first daily tick after it."
        ),
    )
    imported = models.BooleanField(
        _("imported from a work record"),
        default=False,
        help_text=_("Answers imported from a file keep the perspective the file gave."),
    )

    objects = CheckinRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in round")
        verbose_name_plural = _("check-in rounds")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CheckinReceipt(models.Model):
    """That someone has answered in an open round, so that they answer only once. Not what
    they said.

    Receipts are kept only while the round is open, and deleted when it closes. What people
    answered is kept only as counts (`CheckinTally`), never one row per answer, so no stored
    row or column can be matched to a receipt.
    """

    round = models.ForeignKey(
        CheckinRound,
        verbose_name=_("check-in round"),
        on_delete=models.CASCADE,
        related_name="receipts",
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="checkin_receipts",
    )

    class Meta:
        verbose_name = _("check-in receipt")
        verbose_name_plural = _("check-in receipts")
        constraints = [
            models.UniqueConstraint(fields=["round", "membership"], name="one_checkin_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} receipt"


class CheckinTally(models.Model):
    """How many people in a round placed an aspect on one rung: the anonymous answers, counted.

    There is no row per answer, so nothing links an answer to the person who gave it: not an
    id, a time or the order rows were written, and not PostgreSQL's ``xmin`` either. The rows
    of a round are written when it opens (and for an aspect added later, all at once, by the
    first answer after), and each check-in adds its answers in one update that rewrites every
    row of the round, adding 1 to the rungs chosen and 0 to the rest. The perceived rungs are
    computed exactly from these counts.
    """

    round = models.ForeignKey(
        CheckinRound,
        verbose_name=_("check-in round"),
        on_delete=models.CASCADE,
        related_name="tallies",
    )
    aspect = models.ForeignKey(
        Aspect, verbose_name=_("aspect"), on_delete=models.CASCADE, related_name="checkin_tallies"
    )
    perspective = models.CharField(
        _("perspective"),
        max_length=30,
        choices=PERSPECTIVE_CHOICES,
        help_text=_(
            "Answers given in WithPeople keep only whether they came from a partner or from "
            "staff; imported answers keep the perspective in the file."
        ),
    )
    rung = models.CharField(_("rung"), max_length=20, choices=RUNG_CHOICES)
    count = models.PositiveIntegerField(_("number of answers"), default=0)

    class Meta:
        verbose_name = _("check-in tally")
        verbose_name_plural = _("check-in tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "aspect", "perspective", "rung"], name="one_tally_per_rung"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rung}: {self.count}"


#: The column of `WorkAssessment` that says whether a piece of work carries each flag.
FLAG_FIELDS: dict[str, str] = {
    slug: f"flag_{slug}" for slug in (*assessment_rules.ASPECT_FLAGS, *assessment_rules.WORK_FLAGS)
}


class WorkAssessment(models.Model):
    """The assessment of a piece of work as last computed, kept so that lists need not compute it.

    `withpeople.works.assessments.assessment_refresh` rewrites it, with the same pure rules
    (`withpeople.domain.assessment.assess`), in the same transaction as every change to what
    the assessment reads. The columns repeat what lists filter and count on, so they can do it
    in the database; `assessment` is the ``withpeople.assessment/1`` structure itself.
    """

    work = models.OneToOneField(
        Work,
        verbose_name=_("piece of work"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="assessment",
    )
    assessment = models.JSONField(_("assessment (withpeople.assessment/1)"))
    flag_count = models.PositiveSmallIntegerField(_("number of different flags"), default=0)
    has_flags = models.BooleanField(_("has any flag"), default=False, db_index=True)
    flag_no_evidence = models.BooleanField(_("no evidence yet"), default=False, db_index=True)
    flag_behind_plan = models.BooleanField(_("behind the plan"), default=False, db_index=True)
    flag_doing_to = models.BooleanField(_("doing to people"), default=False, db_index=True)
    flag_overclaim = models.BooleanField(
        _("seen as higher than the evidence shows"), default=False, db_index=True
    )
    flag_perception_gap = models.BooleanField(
        _("partners and staff see it differently"), default=False, db_index=True
    )
    flag_loop_not_closed = models.BooleanField(
        _("people not told the outcome"), default=False, db_index=True
    )
    flag_no_frontline_staff = models.BooleanField(
        _("no frontline staff took part"), default=False, db_index=True
    )
    flag_no_back_office_staff = models.BooleanField(
        _("no back-office staff took part"), default=False, db_index=True
    )
    lowest_evidenced_position = models.PositiveSmallIntegerField(
        _("position of the lowest evidenced rung"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty when no aspect has evidence yet."),
    )
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("assessment of a piece of work")
        verbose_name_plural = _("assessments of pieces of work")

    def __str__(self) -> str:
        return f"Assessment of work {self.work_id}"


class AspectAssessment(models.Model):
    """The assessment of one aspect as last computed: kept with its `WorkAssessment`."""

    aspect = models.OneToOneField(
        Aspect,
        verbose_name=_("aspect"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="assessment",
    )
    work = models.ForeignKey(
        Work,
        verbose_name=_("piece of work"),
        on_delete=models.CASCADE,
        related_name="aspect_assessments",
    )
    intended = models.CharField(_("intended rung"), max_length=20, choices=RUNG_CHOICES)
    evidenced = models.CharField(
        _("evidenced rung"), max_length=20, choices=RUNG_CHOICES, blank=True, db_index=True
    )
    evidenced_position = models.PositiveSmallIntegerField(
        _("position of the evidenced rung"), null=True, blank=True, db_index=True
    )
    perceived_partners = models.CharField(
        _("rung perceived by partners"), max_length=20, choices=RUNG_CHOICES, blank=True
    )
    perceived_staff = models.CharField(
        _("rung perceived by staff"), max_length=20, choices=RUNG_CHOICES, blank=True
    )
    flags = models.JSONField(_("flags"), default=list, blank=True)
    #: Why the evidence puts the aspect where it does, as kept messages
    #: (`withpeople.domain.text.message_to_data`), so the work's page shows them in its reader's
    #: language without assessing again.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)

    class Meta:
        verbose_name = _("assessment of an aspect")
        verbose_name_plural = _("assessments of aspects")

    def __str__(self) -> str:
        return f"Assessment of aspect {self.aspect_id}"


class RecordLead(models.Model):
    """A lead of the piece of work named in the work record it was imported from (``leads``).

    A name in a file grants nothing: only an account of the organisation can lead (`Work.leads`).
    The names are kept, and exported again, so that a record moved between organisations keeps
    who led the work.
    """

    work = models.ForeignKey(
        Work,
        verbose_name=_("piece of work"),
        on_delete=models.CASCADE,
        related_name="record_leads",
    )
    name = models.CharField(_("name"), max_length=150)
    ref = models.CharField(
        _("reference in the work record"),
        max_length=150,
        blank=True,
        help_text=_("The ref of the lead among the people of the record, if they are one."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("lead named in a work record")
        verbose_name_plural = _("leads named in work records")
        ordering = ["work", "position", "id"]

    def __str__(self) -> str:
        return self.name
