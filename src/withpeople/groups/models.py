"""Co-production groups and the people in them.

A piece of work has its own group; an organisation may also have standing groups (a
co-production board, say). Members may have an account in the organisation or take part without
one: for them we keep only a name or pseudonym and a way to reach them.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.domain.ladder import is_partner
from withpeople.organisations.models import PERSPECTIVE_CHOICES, Membership, Organisation


class GroupKind(models.TextChoices):
    WORK = "work", _("Group for a piece of work")
    STANDING = "standing", _("Standing group")


class GroupRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    MEMBER = "member", _("Member")


class GroupQuerySet(models.QuerySet["Group"]):
    def for_organisation(self, organisation: Organisation) -> GroupQuerySet:
        return self.filter(organisation=organisation)


class Group(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="groups",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind of group"), max_length=20, choices=GroupKind.choices, default=GroupKind.WORK
    )
    purpose = models.TextField(_("purpose"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMemberQuerySet(models.QuerySet["GroupMember"]):
    def for_organisation(self, organisation: Organisation) -> GroupMemberQuerySet:
        return self.filter(group__organisation=organisation)

    def current(self) -> GroupMemberQuerySet:
        return self.filter(left_on__isnull=True)


class GroupMember(models.Model):
    """Someone in a group, with the perspective they bring and their role in the group."""

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="members"
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("account in the organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_memberships",
        help_text=_("Leave empty for someone who takes part without an account."),
    )
    name = models.CharField(
        _("name or pseudonym"),
        max_length=150,
        help_text=_("The name the group knows them by. A first name or a pseudonym is fine."),
    )
    contact = models.CharField(
        _("how to reach them"),
        max_length=300,
        blank=True,
        help_text=_("For someone without an account: an email address, phone number or address."),
    )
    perspective = models.CharField(_("perspective"), max_length=30, choices=PERSPECTIVE_CHOICES)
    role = models.CharField(
        _("role in the group"), max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = GroupMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "membership"],
                condition=models.Q(membership__isnull=False),
                name="one_group_member_per_account",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_partner(self) -> bool:
        return is_partner(self.perspective)


# --- Working agreements -------------------------------------------------------------------------


class WorkingAgreementQuerySet(models.QuerySet["WorkingAgreement"]):
    def for_organisation(self, organisation: Organisation) -> WorkingAgreementQuerySet:
        return self.filter(group__organisation=organisation)


class WorkingAgreement(models.Model):
    """A group's working agreement. Its words live in versions, which are never changed."""

    group = models.OneToOneField(
        Group,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="agreement",
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("When set, anyone can read the latest version on a public page."),
    )

    objects = WorkingAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("working agreement")
        verbose_name_plural = _("working agreements")

    def __str__(self) -> str:
        return str(self.group)


#: The sections of a working agreement, in the order people read them, with their headings.
AGREEMENT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("meaning", _("What co-production means for this work")),
    ("aims", _("What we want to achieve")),
    ("ways_of_working", _("How we work together")),
    ("decisions_shared", _("Decisions we share")),
    ("decisions_not_shared", _("Decisions we do not share, and why")),
    ("resources_shared", _("Resources we share: budget, data and information")),
    ("who_does_what", _("Who does what")),
    ("support", _("How people are supported")),
)


class AgreementVersion(models.Model):
    """One version of a working agreement. A change makes a new version; none is edited."""

    agreement = models.ForeignKey(
        WorkingAgreement,
        verbose_name=_("working agreement"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    meaning = models.TextField(_("what co-production means for this work"))
    aims = models.TextField(_("what we want to achieve"))
    ways_of_working = models.TextField(_("how we work together"))
    decisions_shared = models.TextField(_("decisions we share"))
    decisions_not_shared = models.TextField(_("decisions we do not share, and why"), blank=True)
    resources_shared = models.TextField(_("resources we share"), blank=True)
    who_does_what = models.TextField(_("who does what"), blank=True)
    support = models.TextField(_("how people are supported"))
    review_on = models.DateField(_("when we review this agreement"))
    change_note = models.CharField(_("what changed and why"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        Membership,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("working agreement version")
        verbose_name_plural = _("working agreement versions")
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="one_agreement_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"

    def sections(self) -> list[tuple[str, str, str]]:
        """(field, heading, text) for each section, in reading order."""
        return [(field, str(label), getattr(self, field)) for field, label in AGREEMENT_SECTIONS]


class AgreementConsent(models.Model):
    """A group member saying "I agree" to one version. Agreements are per version."""

    version = models.ForeignKey(
        AgreementVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    member = models.ForeignKey(
        GroupMember,
        verbose_name=_("group member"),
        on_delete=models.CASCADE,
        related_name="agreement_consents",
    )
    agreed_at = models.DateTimeField(_("agreed at"), default=timezone.now)
    on_their_behalf = models.BooleanField(
        _("recorded by staff on their behalf"),
        default=False,
        help_text=_(
            "For someone who takes part without an account: they told a member of staff they "
            "agree, and the member of staff recorded it with the date they agreed."
        ),
    )
    recorded_by = models.ForeignKey(
        Membership,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("agreement to a version")
        verbose_name_plural = _("agreements to versions")
        constraints = [
            models.UniqueConstraint(fields=["version", "member"], name="one_consent_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.member} agreed to {self.version}"


# --- Access and communication needs --------------------------------------------------------------


class AccessNeedsQuerySet(models.QuerySet["AccessNeeds"]):
    def for_organisation(self, organisation: Organisation) -> AccessNeedsQuerySet:
        """Needs are private: only organisers of an activity and the person themselves see them."""
        return self.filter(organisation=organisation)


#: The formats and support a person can ask for, with how they are shown.
NEED_FIELDS: tuple[tuple[str, str], ...] = (
    ("easy_read", _("Easy read")),
    ("large_print", _("Large print")),
    ("british_sign_language", _("British Sign Language")),
    ("audio", _("Audio")),
    ("braille", _("Braille")),
    ("interpreter", _("An interpreter")),
    ("personal_assistant", _("A personal assistant with me")),
    ("breaks", _("Regular breaks")),
    ("meeting_times", _("Meetings at certain times")),
    ("other", _("Something else")),
)


class AccessNeeds(models.Model):
    """The formats and support one person needs to take part.

    Kept per organisation membership (someone in two organisations tells each what it needs to
    know), or, for a group member without an account, against that group member.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    membership = models.OneToOneField(
        Membership,
        verbose_name=_("account in the organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_needs",
    )
    group_member = models.OneToOneField(
        GroupMember,
        verbose_name=_("group member without an account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_needs",
    )
    easy_read = models.BooleanField(_("easy read"), default=False)
    large_print = models.BooleanField(_("large print"), default=False)
    british_sign_language = models.BooleanField(_("British Sign Language"), default=False)
    audio = models.BooleanField(_("audio"), default=False)
    braille = models.BooleanField(_("Braille"), default=False)
    interpreter = models.BooleanField(_("an interpreter"), default=False)
    interpreter_language = models.CharField(
        _("language for the interpreter"), max_length=100, blank=True
    )
    personal_assistant = models.BooleanField(_("a personal assistant"), default=False)
    breaks = models.BooleanField(_("regular breaks"), default=False)
    meeting_times = models.BooleanField(_("meetings at certain times"), default=False)
    meeting_times_detail = models.CharField(_("times that work"), max_length=300, blank=True)
    other = models.BooleanField(_("something else"), default=False)
    other_detail = models.TextField(_("what else you need"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AccessNeedsQuerySet.as_manager()

    class Meta:
        verbose_name = _("access and communication needs")
        verbose_name_plural = _("access and communication needs")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(membership__isnull=False, group_member__isnull=True)
                    | models.Q(membership__isnull=True, group_member__isnull=False)
                ),
                name="access_needs_belong_to_one_person",
            )
        ]

    def __str__(self) -> str:
        return f"Access needs {self.pk}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.interpreter and not self.interpreter_language.strip():
            errors["interpreter_language"] = _(
                "Enter the language you need an interpreter for, for example Polish"
            )
        if self.meeting_times and not self.meeting_times_detail.strip():
            errors["meeting_times_detail"] = _("Enter the times that work for you")
        if self.other and not self.other_detail.strip():
            errors["other_detail"] = _("Enter what else you need")
        if errors:
            raise ValidationError(errors)

    def needs(self) -> list[str]:
        """What the person needs, as short phrases, for lists."""
        shown = []
        for field, label in NEED_FIELDS:
            if not getattr(self, field):
                continue
            if field == "interpreter":
                shown.append(f"{label} ({self.interpreter_language})")
            elif field == "meeting_times":
                shown.append(f"{label}: {self.meeting_times_detail}")
            elif field == "other":
                shown.append(f"{label}: {self.other_detail}")
            else:
                shown.append(str(label))
        return shown
