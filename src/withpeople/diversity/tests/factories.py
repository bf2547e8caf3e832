"""Diversity questions and consenting members, for tests."""

from __future__ import annotations

from withpeople.diversity.models import DiversityCategory, DiversityOption
from withpeople.diversity.services import diversity_answers_save, diversity_consent_give
from withpeople.organisations.models import Role
from withpeople.testing.factories import MembershipFactory


def make_question(organisation, name="Age", labels=("Under 50", "50 and over"), position=1):
    category = DiversityCategory.objects.create(
        organisation=organisation,
        name=name,
        question=f"What is your {name.lower()}?",
        target_description=f"Who we want to reach by {name.lower()}.",
        position=position,
    )
    options = [
        DiversityOption.objects.create(category=category, label=label, position=i)
        for i, label in enumerate(labels)
    ]
    return category, options


def answering_members(organisation, category, choices, role=Role.PARTNER):
    """One consenting member per entry of `choices` (an option, or None for prefer not to say)."""
    members = []
    for choice in choices:
        membership = MembershipFactory(organisation=organisation, role=role)
        diversity_consent_give(membership=membership)
        diversity_answers_save(membership=membership, answers={category.pk: choice})
        members.append(membership)
    return members
