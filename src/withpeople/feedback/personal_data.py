"""What feedback holds about a person: who entered answers and started imports.

Registered with `withpeople.core.personal_data` in `FeedbackConfig.ready()`. The answers are
anonymous; after erasure they, and the import jobs, stay, entered or started by nobody.
"""

from __future__ import annotations

from withpeople.core import personal_data
from withpeople.feedback.models import ImportJob, Response


def unlink_account(organisation, user) -> None:
    Response.objects.filter(cycle__organisation=organisation, entered_by=user).update(
        entered_by=None
    )
    ImportJob.objects.filter(cycle__organisation=organisation, created_by=user).update(
        created_by=None
    )


ENTRIES = [
    personal_data.PersonalData(
        name="feedback",
        models=("feedback.Response", "feedback.ImportJob"),
        order=50,
        unlink_account=unlink_account,
    ),
]
