"""What diversity monitoring holds about a person: their consent and their answers.

Registered with `withpeople.core.personal_data` in `DiversityConfig.ready()`. Someone else
looking (an admin answering a request) sees only whether they are held, never what they are.
People without an account never answer, so there is nothing for a group member.
"""

from __future__ import annotations

from typing import Any

from withpeople.core import personal_data
from withpeople.diversity.models import DiversityAnswer, DiversityConsent
from withpeople.diversity.selectors import _diversity, _diversity_held


def export_membership(membership, about_someone_else: bool) -> dict[str, Any]:
    return {
        "diversity": (_diversity_held(membership) if about_someone_else else _diversity(membership))
    }


def erase_membership(membership) -> dict[str, int]:
    answers, _detail = DiversityAnswer.objects.filter(membership=membership).delete()
    DiversityConsent.objects.filter(membership=membership).delete()
    return {"diversity_answers": answers}


ENTRIES = [
    personal_data.PersonalData(
        name="diversity",
        models=("diversity.DiversityConsent", "diversity.DiversityAnswer"),
        order=70,
        export_membership=export_membership,
        erase_membership=erase_membership,
    ),
]
