"""Moving diversity monitoring out of the privacy app keeps every question, consent and answer."""

from __future__ import annotations

import pytest

from withpeople.diversity.models import DiversityAnswer, DiversityCategory, DiversityConsent
from withpeople.diversity.selectors import diversity_summary
from withpeople.testing.factories import MembershipFactory
from withpeople.testing.migrations import migrate

BEFORE = [("privacy", "0001_initial"), ("diversity", None)]
AFTER = [("privacy", "0002_move_diversity_to_its_own_app")]


@pytest.mark.django_db(transaction=True)
def test_questions_consents_and_answers_survive_the_move(organisation):
    members = [MembershipFactory(organisation=organisation) for _ in range(6)]

    old = migrate(BEFORE)
    Category = old.get_model("privacy", "DiversityCategory")
    Option = old.get_model("privacy", "DiversityOption")
    Consent = old.get_model("privacy", "DiversityConsent")
    Answer = old.get_model("privacy", "DiversityAnswer")
    category = Category.objects.create(
        organisation_id=organisation.pk, name="Age", question="What is your age?", position=1
    )
    under = Option.objects.create(category=category, label="Under 50", position=0)
    for membership in members:
        Consent.objects.create(membership_id=membership.pk, wording="I agree.")
        Answer.objects.create(membership_id=membership.pk, category=category, option=under)

    migrate(AFTER)
    moved = DiversityCategory.objects.get(pk=category.pk)
    assert (moved.name, moved.question) == ("Age", "What is your age?")
    assert [o.label for o in moved.options.all()] == ["Under 50"]
    assert DiversityConsent.objects.filter(membership__in=members).count() == 6
    assert DiversityAnswer.objects.filter(category=moved, option_id=under.pk).count() == 6
    figures = diversity_summary(organisation=organisation)
    assert figures[0]["total"] == 6
