"""What recognition holds about a person: time, preferences, payments and expense claims.

Registered with `withpeople.core.personal_data` in `RecognitionConfig.ready()`. Erasure keeps
the amounts and dates, so totals still add up, and removes the personal details
(`recognition_erase_member`); who recorded or decided something becomes nobody
(`recognition_forget_user`).
"""

from __future__ import annotations

from typing import Any

from withpeople.core import personal_data
from withpeople.recognition.selectors import personal_data_for_member
from withpeople.recognition.services import recognition_erase_member, recognition_forget_user


def export_membership(membership, about_someone_else: bool) -> dict[str, Any]:
    group_members = membership.group_memberships.select_related("group").order_by("joined_on", "pk")
    return {
        "recognition": [
            {"group": gm.group.name, **personal_data_for_member(gm)} for gm in group_members
        ]
    }


def export_group_member(member) -> dict[str, Any]:
    return {"recognition": [{"group": member.group.name, **personal_data_for_member(member)}]}


def erase_group_member(member) -> None:
    recognition_erase_member(member=member)


def unlink_account(organisation, user) -> None:
    recognition_forget_user(organisation=organisation, user=user)


ENTRIES = [
    personal_data.PersonalData(
        name="recognition",
        models=(
            "recognition.RecognitionPolicy",
            "recognition.TimeRecord",
            "recognition.RecognitionPreference",
            "recognition.Payment",
            "recognition.ExpenseClaim",
        ),
        order=60,
        export_membership=export_membership,
        export_group_member=export_group_member,
        erase_group_member=erase_group_member,
        unlink_account=unlink_account,
    ),
]
