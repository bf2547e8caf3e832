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
