"""Reads of diversity figures, and of what is held about one person's diversity."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from withpeople.diversity.models import DiversityAnswer, DiversityCategory, DiversityConsent
from withpeople.domain.diversity import PREFER_NOT_TO_SAY, question_figures
from withpeople.organisations.models import Membership, Organisation


def _answer_counts(organisation: Organisation, categories) -> tuple[dict, dict]:
    """Counts of option keys over members who consented, for the organisation and each group.

    Returns ({category id: Counter}, {group id: {category id: Counter}}): the second counts only
    the current members of each group who have an account. Two queries, each counted in the
    database (a row per group, question and option, never one per person).
    """
    answers = DiversityAnswer.objects.filter(
        category__organisation=organisation,
        membership__organisation=organisation,
        membership__diversity_consent__isnull=False,
    )
    whole: dict[int, Counter] = {category.pk: Counter() for category in categories}
    for category_id, option_id, count in (
        answers.values("category_id", "option_id")
        .annotate(count=Count("pk"))
        .values_list("category_id", "option_id", "count")
    ):
        whole[category_id][_key(option_id)] += count
    parts: dict[int, dict[int, Counter]] = {}
    for group_id, category_id, option_id, count in (
        answers.filter(
            membership__group_memberships__group__organisation=organisation,
            membership__group_memberships__left_on__isnull=True,
        )
        .values("membership__group_memberships__group_id", "category_id", "option_id")
        .annotate(count=Count("pk"))
        .values_list("membership__group_memberships__group_id", "category_id", "option_id", "count")
    ):
        part = parts.setdefault(group_id, {c.pk: Counter() for c in categories})
        part[category_id][_key(option_id)] += count
    return whole, parts


def _key(option_id: int | None) -> str:
    return PREFER_NOT_TO_SAY if option_id is None else str(option_id)


def diversity_summary(*, organisation: Organisation, work=None) -> list[dict[str, Any]]:
    """Diversity figures per question, suppressed, beside the organisation's own targets.

    One entry per question, in order:
    `{"id", "name", "question", "target_description", "total", "suppressed_count",
    "options": [{"key", "label", "count", "percentage", "target_percentage", "suppressed"}]}`.
    `count`, `percentage` and `total` are None when suppressed. With `work`, only the answers of
    the current members of the piece of work's group who have an account are counted. The
    organisation's figures and every group's are suppressed together, so that adding and
    subtracting any of them tells nothing about the few people behind a hidden figure.
    Aggregates only: this is never personal data.
    """
    categories = list(
        DiversityCategory.objects.for_organisation(organisation).prefetch_related("options")
    )
    whole, parts = _answer_counts(organisation, categories)
    part = None if work is None else str(work.group_id)
    summary = []
    for category in categories:
        options = [(str(option.pk), option.label) for option in category.options.all()]
        options.append((PREFER_NOT_TO_SAY, _("Prefer not to say")))
        targets = {str(o.pk): o.target_percentage for o in category.options.all()}
        category_parts = {str(group_id): counts[category.pk] for group_id, counts in parts.items()}
        if part is not None:
            category_parts.setdefault(part, Counter())
        figures = question_figures(
            options,
            whole[category.pk],
            targets=targets,
            parts=category_parts,
            part=part,
        )
        summary.append(
            {
                "id": category.pk,
                "name": category.name,
                "question": category.question,
                "target_description": category.target_description,
                "total": figures.total,
                "suppressed_count": figures.suppressed_count,
                "options": [
                    {
                        "key": option.key,
                        "label": option.label,
                        "count": option.count,
                        "percentage": option.percentage,
                        "target_percentage": option.target_percentage,
                        "suppressed": option.suppressed,
                    }
                    for option in figures.options
                ],
            }
        )
    return summary


def _diversity(membership: Membership) -> dict[str, Any]:
    consent = DiversityConsent.objects.filter(membership=membership).first()
    answers = DiversityAnswer.objects.filter(membership=membership).select_related(
        "category", "option"
    )
    return {
        "consent": (
            {"given_at": consent.given_at.isoformat(), "wording": consent.wording}
            if consent
            else None
        ),
        "answers": [
            {
                "question": answer.category.question,
                "answer": answer.option.label if answer.option else _("Prefer not to say"),
            }
            for answer in answers.order_by("category__position", "category_id")
        ],
    }


def _diversity_held(membership: Membership) -> dict[str, Any]:
    """Whether someone consented and how many answers are held: never what they answered."""
    return {
        "consent_given": DiversityConsent.objects.filter(membership=membership).exists(),
        "answers_held": DiversityAnswer.objects.filter(membership=membership).count(),
    }


def your_diversity(membership: Membership) -> dict[str, Any]:
    """For a person's own data page: their consent, how many answers, whether any are asked."""
    return {
        "consent": DiversityConsent.objects.filter(membership=membership).first(),
        "answer_count": DiversityAnswer.objects.filter(membership=membership).count(),
        "has_questions": DiversityCategory.objects.for_organisation(
            membership.organisation
        ).exists(),
    }
