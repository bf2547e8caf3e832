"""API endpoints for recognition, mounted under /api/v1/.

Amounts are strings with two decimal places ("12.50"), never floats, so they stay exact.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from withpeople.groups.models import GroupMember
from withpeople.organisations.access import membership_for
from withpeople.recognition.selectors import personal_data_for_member
from withpeople.recognition.services import policy_for

router = Router(tags=["recognition"])


def _money(amount) -> str | None:
    return None if amount is None else f"{amount:.2f}"


class CategoryOut(Schema):
    name: str
    limit_per_claim: str | None
    receipt_required: bool


class PolicyOut(Schema):
    version: int
    hourly_rate: str | None
    half_day_rate: str | None
    day_rate: str | None
    voucher_provider: str
    voucher_value_per_hour: str | None
    voucher_value_per_session: str | None
    benefits_advice_text: str
    benefits_advice_url: str
    expense_categories: list[CategoryOut]


class OwnRecordOut(Schema):
    group: str
    data: dict


@router.get("/organisations/{slug}/recognition/policy", response=PolicyOut)
def recognition_policy(request: HttpRequest, slug: str):
    """The organisation's recognition policy: rates, vouchers, benefits advice, expenses."""
    membership = membership_for(request.auth, slug)
    policy = policy_for(membership.organisation)
    return {
        "version": policy.version,
        "hourly_rate": _money(policy.hourly_rate),
        "half_day_rate": _money(policy.half_day_rate),
        "day_rate": _money(policy.day_rate),
        "voucher_provider": policy.voucher_provider,
        "voucher_value_per_hour": _money(policy.voucher_value_per_hour),
        "voucher_value_per_session": _money(policy.voucher_value_per_session),
        "benefits_advice_text": policy.benefits_advice_text,
        "benefits_advice_url": policy.benefits_advice_url,
        "expense_categories": [
            {
                "name": category.name,
                "limit_per_claim": _money(category.limit_per_claim),
                "receipt_required": category.receipt_required,
            }
            for category in membership.organisation.expense_categories.all()
        ],
    }


@router.get("/organisations/{slug}/recognition/mine", response=list[OwnRecordOut])
def my_time_and_payments(request: HttpRequest, slug: str):
    """Your own time, preferences, payments and expense claims, for each group you are in."""
    membership = membership_for(request.auth, slug)
    members = GroupMember.objects.filter(membership=membership).select_related("group")
    return [
        {"group": member.group.name, "data": personal_data_for_member(member)} for member in members
    ]
