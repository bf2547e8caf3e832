"""Changing who must use a second factor, and an admin resetting someone's lost one."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from withpeople.accounts.models import User
from withpeople.accounts.second_factor import has_second_factor, second_factor_remove
from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.services import Recipient, notify, site_url
from withpeople.organisations.models import Membership, Organisation, SecondFactorRule


@transaction.atomic
def second_factor_rule_set(*, organisation: Organisation, rule: str, actor: User) -> None:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.second_factor_required_for == rule:
        return
    before = organisation.get_second_factor_required_for_display()
    organisation.second_factor_required_for = rule
    organisation.full_clean()
    organisation.save(update_fields=["second_factor_required_for"])
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEventKind.CHANGED_SECOND_FACTOR_RULE,
        subject=organisation,
        detail=f"{before} → {SecondFactorRule(rule).label}",
    )


@transaction.atomic
def second_factor_reset(*, membership: Membership, actor: User) -> bool:
    """Remove a member's authenticator app and recovery codes, when they have lost them.

    They then sign in with their password alone, and where their organisation requires a
    second factor they are taken to set one up again before anything else. Returns False (and
    records nothing) if they had none.
    """
    user = membership.user
    if not has_second_factor(user):
        return False
    second_factor_remove(user=user)
    audit_record(
        organisation=membership.organisation,
        actor=actor,
        action=AuditEventKind.RESET_SECOND_FACTOR,
        subject=membership,
        detail=user.email,
    )
    notify(
        kind=NotificationKind.SECOND_FACTOR_RESET,
        organisation=membership.organisation,
        recipients=[Recipient.of_user(user)],
        template="security/notifications/second_factor_reset",
        context={"organisation": membership.organisation, "actor_name": actor.name},
        url=site_url(reverse("accounts:account")),
        key=f"second-factor-reset-{membership.pk}-{timezone.now().isoformat()}",
    )
    return True
