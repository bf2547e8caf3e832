"""Writes for diversity monitoring, personal data rights and retention. Each is one transaction.

Audit entries written here never carry personal content: they name the kind and id of a
record, and the actor, and nothing the person told us.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent
from withpeople.audit.services import audit_record
from withpeople.feedback.models import ImportJob, Response
from withpeople.groups.models import GroupMember
from withpeople.groups.services import (
    access_needs_erase_for_group_member,
    access_needs_erase_for_membership,
)
from withpeople.improvement.models import Publication
from withpeople.organisations.models import Invitation, Membership, Organisation, Role
from withpeople.privacy.models import (
    DiversityAnswer,
    DiversityCategory,
    DiversityConsent,
    DiversityOption,
    RetentionSettings,
)
from withpeople.privacy.selectors import former_member_name, is_anonymised
from withpeople.recognition.services import recognition_erase_member, recognition_forget_user


def consent_wording(organisation: Organisation) -> str:
    """The words a person agrees to, kept with their consent exactly as they saw them."""
    return _(
        "I agree that %(organisation)s may keep my answers to its diversity monitoring "
        "questions. I understand that: answering is up to me and I can choose Prefer not to "
        "say for any question; my answers are used only to see, in figures about groups of "
        "people, how well co-production reaches different people; any figure about fewer than "
        "5 people is never shown; nobody in %(organisation)s can see my own answers, only I "
        "can; and I can withdraw at any time, which deletes all my answers."
    ) % {"organisation": organisation.name}


# Diversity monitoring ----------------------------------------------------------------------


@transaction.atomic
def diversity_consent_give(*, membership: Membership) -> DiversityConsent:
    existing = DiversityConsent.objects.filter(membership=membership).first()
    if existing is not None:
        return existing
    consent = DiversityConsent(
        membership=membership, wording=consent_wording(membership.organisation)
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def diversity_answers_save(
    *, membership: Membership, answers: Mapping[int, DiversityOption | None]
) -> list[DiversityAnswer]:
    """Keep a person's answers, {category id: option, or None for "Prefer not to say"}.

    Refused without consent: nothing is stored before the person has agreed.
    """
    if not DiversityConsent.objects.filter(membership=membership).exists():
        raise ValidationError(_("Agree to diversity monitoring before answering the questions."))
    categories = {
        c.pk: c for c in DiversityCategory.objects.for_organisation(membership.organisation)
    }
    saved = []
    for category_id, option in answers.items():
        category = categories.get(int(category_id))
        if category is None:
            raise ValidationError(_("This question is no longer asked. Reload the page."))
        if option is not None and option.category_id != category.pk:
            raise ValidationError(_("Choose one of the answers given for each question."))
        answer, _created = DiversityAnswer.objects.update_or_create(
            membership=membership, category=category, defaults={"option": option}
        )
        saved.append(answer)
    return saved


@transaction.atomic
def diversity_withdraw(*, membership: Membership, actor) -> int:
    """Delete all of a person's diversity answers and their consent, and audit that it happened.

    Returns how many answers were deleted.
    """
    answers, _detail = DiversityAnswer.objects.filter(membership=membership).delete()
    DiversityConsent.objects.filter(membership=membership).delete()
    audit_record(
        organisation=membership.organisation,
        actor=actor,
        action=AuditEventKind.WITHDREW_DIVERSITY_CONSENT,
        subject=membership,
    )
    return answers


def diversity_viewed(*, organisation: Organisation, actor, figures, detail: str) -> None:
    """Log a look at diversity figures.

    They come from special category data, so each look is logged as every view of personal
    data is, though what is shown is only suppressed aggregates. Nothing is logged when there
    are no questions, and so no figures.
    """
    if figures:
        audit_record(
            organisation=organisation,
            actor=actor,
            action=AuditEventKind.VIEWED_DIVERSITY,
            detail=detail,
        )


@transaction.atomic
def diversity_category_save(*, category: DiversityCategory) -> DiversityCategory:
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def diversity_category_delete(*, category: DiversityCategory) -> None:
    category.delete()


@transaction.atomic
def diversity_option_save(*, option: DiversityOption) -> DiversityOption:
    option.full_clean()
    option.save()
    return option


@transaction.atomic
def diversity_option_delete(*, option: DiversityOption) -> None:
    option.delete()


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
    points to their account any more (`_unlink_account`). Their self-assessment ratings stay,
    without them, so the organisation's figures still add up. The audit entry says only that it
    happened.
    """
    problems = erasure_blockers(membership=membership, actor=actor)
    if problems:
        raise ValidationError(problems)
    organisation = membership.organisation
    user = membership.user
    membership_pk = membership.pk
    counts = {"group_memberships": 0, "diversity_answers": 0}

    access_needs_erase_for_membership(membership)
    for group_member in membership.group_memberships.all():
        recognition_erase_member(member=group_member)
        anonymise_group_member(group_member)
        counts["group_memberships"] += 1

    counts["diversity_answers"], _detail = DiversityAnswer.objects.filter(
        membership=membership
    ).delete()
    DiversityConsent.objects.filter(membership=membership).delete()
    Invitation.objects.for_organisation(organisation).filter(email__iexact=user.email).delete()
    _unlink_account(organisation, user)
    membership.delete()
    if not user.memberships.exists():
        _forget_sign_ins(user.email)
        user.delete()
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


def _unlink_account(organisation: Organisation, user) -> None:
    """Remove every link from this organisation's records to an erased person's account.

    Their account may stay, for another organisation; this organisation's records must not lead
    to it. Who did something becomes nobody, shown as "a former member"; what was done stays.
    """
    # Their own entries in this organisation's log stay, without their name.
    AuditEvent.objects.for_organisation(organisation).filter(actor=user).update(actor=None)
    recognition_forget_user(organisation=organisation, user=user)
    Response.objects.filter(cycle__organisation=organisation, entered_by=user).update(
        entered_by=None
    )
    ImportJob.objects.filter(cycle__organisation=organisation, created_by=user).update(
        created_by=None
    )
    Publication.objects.filter(cycle__organisation=organisation, published_by=user).update(
        published_by=None
    )
    Invitation.objects.for_organisation(organisation).filter(invited_by=user).update(
        invited_by=None
    )


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
    recognition_erase_member(member=member)
    anonymise_group_member(member)
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEventKind.ERASED_PERSON,
        subject_type="groups.groupmember",
        subject_id=member.pk,
        detail=_("A group member without an account was anonymised."),
    )


def anonymise_group_member(group_member) -> None:
    """Replace a group member's name and contact details, unlinking their account.

    Needs recorded against the group member itself (someone without an account) go too.
    """
    access_needs_erase_for_group_member(group_member)
    group_member.name = former_member_name(group_member.pk)
    group_member.contact = ""
    group_member.membership = None
    group_member.full_clean()
    group_member.save(update_fields=["name", "contact", "membership"])


def _forget_sign_ins(email: str) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=email).delete()


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
