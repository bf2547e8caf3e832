"""Writes for diversity monitoring. Each is one transaction.

Audit entries written here never carry personal content: they name the kind and id of a
record, and the actor, and nothing the person told us.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.diversity.models import (
    DiversityAnswer,
    DiversityCategory,
    DiversityConsent,
    DiversityOption,
)
from withpeople.organisations.models import Membership, Organisation


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
