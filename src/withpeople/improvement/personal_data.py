"""What improvement holds about a person: ratings, actions they own, results they published.

Registered with `withpeople.core.personal_data` in `ImprovementConfig.ready()`. Their
self-assessment ratings stay without them (SET_NULL when the membership goes), so the
organisation's figures still add up; owning an action goes with the membership (CASCADE);
publications stay, published by nobody.
"""

from __future__ import annotations

from withpeople.core import personal_data
from withpeople.improvement.models import Publication


def unlink_account(organisation, user) -> None:
    Publication.objects.filter(cycle__organisation=organisation, published_by=user).update(
        published_by=None
    )


ENTRIES = [
    personal_data.PersonalData(
        name="improvement",
        models=("improvement.Rating", "improvement.Action", "improvement.Publication"),
        order=55,
        unlink_account=unlink_account,
    ),
]
