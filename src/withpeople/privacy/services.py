"""Writes for personal data rights and retention. Each is one transaction.

Erasure goes through `withpeople.core.personal_data`, where each app registers how to erase
what it holds: nothing here reads or writes another app's tables. Audit entries written here
never carry personal content: they name the kind and id of a record, and the actor, and
nothing the person told us.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.core import personal_data
from withpeople.groups.models import GroupMember
from withpeople.groups.selectors import is_anonymised
from withpeople.organisations.models import Membership, Organisation, Role
from withpeople.privacy.models import RetentionSettings

# Personal data rights ----------------------------------------------------------------------


def erasure_blockers(*, membership: Membership, actor) -> list[str]:
    """Why this person cannot be erased right now, in plain English; empty if they can."""
    problems = []
    if membership.user_id == getattr(actor, "pk", None):
        problems.append(
            _("You cannot erase yourself. Ask another admin of the organisation to do it.")
        )
    elif (
        membership.role == Role.ADMIN
        and not Membership.objects.for_organisation(membership.organisation)
        .filter(role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        problems.append(
            _("An organisation needs at least one admin. Make someone else an admin first.")
        )
    return problems


@transaction.atomic
def person_erase(*, membership: Membership, actor) -> dict[str, int]:
    """Erase a person from an organisation, keeping the facts that are not about them.

    Their group memberships become "Former member N" with no contact details, and stay counted
    in the activities they took part in; decisions and amounts stay. Their diversity answers,
    consent, access needs and the personal details kept for their recognition are deleted, as
    are invitations sent to their email address. Their membership goes, and their account too
    unless they belong to another organisation; either way, nothing of this organisation's
    points to their account any more (each app's `unlink_account`). Their self-assessment
    ratings stay, without them, so the organisation's figures still add up. The audit entry
    says only that it happened.
    """
    problems = erasure_blockers(membership=membership, actor=actor)
    if problems:
        raise ValidationError(problems)
    organisation = membership.organisation
    user = membership.user
    membership_pk = membership.pk
    counts = {"group_memberships": 0, "diversity_answers": 0}
    # Each app erases what it holds (groups, recognition, diversity, invitations...), and the
    # membership goes last (`withpeople.core.personal_data`).
    counts |= personal_data.erase_membership(membership)
    personal_data.unlink_account(organisation, user)
    personal_data.erase_account(user)
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEventKind.ERASED_PERSON,
        subject_type="organisations.membership",
        subject_id=membership_pk,
        detail=_("%(count)s group memberships anonymised.")
        % {"count": counts["group_memberships"]},
    )
    return counts


def group_member_erasure_blockers(*, member: GroupMember) -> list[str]:
    """Why this group member cannot be erased here, in plain English; empty if they can."""
    if member.membership_id:
        return [
            _(
                "This person has an account. Erase them from the list of members with an "
                "account instead, which erases their place in every group too."
            )
        ]
    if is_anonymised(member):
        return [_("This person has already been erased.")]
    return []


@transaction.atomic
def group_member_erase(*, member: GroupMember, actor) -> None:
    """Erase someone who takes part in a group without an account, keeping the facts.

    As for someone with an account (`person_erase`): their name becomes "Former member N" and
    their contact details, access needs and the personal details kept for their recognition
    are deleted, while the activities they took part in, the amounts paid and the agreements
    they made stay counted. The audit entry says only that it happened.
    """
    problems = group_member_erasure_blockers(member=member)
    if problems:
        raise ValidationError(problems)
    organisation = member.group.organisation
    personal_data.erase_group_member(member)
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEventKind.ERASED_PERSON,
        subject_type="groups.groupmember",
        subject_id=member.pk,
        detail=_("A group member without an account was anonymised."),
    )


# Retention ---------------------------------------------------------------------------------


def retention_settings_for(organisation: Organisation) -> RetentionSettings:
    """The organisation's settings, or the defaults (unsaved) when it has not chosen any."""
    return RetentionSettings.objects.filter(organisation=organisation).first() or RetentionSettings(
        organisation=organisation
    )


@transaction.atomic
def retention_settings_save(*, settings: RetentionSettings) -> RetentionSettings:
    settings.full_clean()
    settings.save()
    return settings


def personal_data_viewed(*, organisation: Organisation, actor, subject) -> None:
    """Someone was shown everything held about a person (their own, or as an admin)."""
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEventKind.VIEWED_PERSONAL_DATA,
        subject=subject,
    )


def personal_data_exported(*, organisation: Organisation, actor, subject) -> None:
    """Someone downloaded everything held about a person."""
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEventKind.EXPORTED_PERSONAL_DATA,
        subject=subject,
    )
