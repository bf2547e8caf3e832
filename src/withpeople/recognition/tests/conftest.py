from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from withpeople.recognition import receipts, services

DAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores receipts in its own folder, so "nothing stored" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return Path(settings.MEDIA_ROOT)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def group(organisation):
    from withpeople.groups.models import Group

    return Group.objects.create(organisation=organisation, name="Carers' board")


@pytest.fixture
def person(group, members):
    """The partner's place in the group: a carer with an account."""
    from withpeople.groups.models import GroupMember

    return GroupMember.objects.create(
        group=group,
        membership=members["partner"],
        name=members["partner"].user.name,
        perspective="carer",
    )


@pytest.fixture
def offline_person(group):
    """Someone in the group without an account."""
    from withpeople.groups.models import GroupMember

    return GroupMember.objects.create(
        group=group, name="Robin", perspective="lived_experience", contact="01632 960000"
    )


@pytest.fixture
def policy(organisation):
    return services.policy_update(
        organisation=organisation,
        updated_by=None,
        hourly_rate=Decimal("15.00"),
        half_day_rate=Decimal("45.00"),
        day_rate=Decimal("85.00"),
        voucher_value_per_hour=Decimal("10.00"),
        voucher_provider="High street vouchers",
        benefits_advice_text="Ask Citizens Advice before you choose.",
        benefits_advice_url="https://example.org/benefits",
    )


@pytest.fixture
def travel(organisation):
    return services.expense_category_save(
        organisation=organisation,
        name="Travel",
        limit_per_claim=Decimal("30.00"),
        receipt_required=True,
    )


@pytest.fixture
def meals(organisation):
    return services.expense_category_save(
        organisation=organisation,
        name="Meals",
        limit_per_claim=Decimal("10.00"),
        receipt_required=False,
    )


def png(name: str = "receipt.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, receipts.TINY_PNG, content_type="image/png")


def make_claim(organisation, member, category, *, amount="12.50", claimed_by=None, **kwargs):
    kwargs.setdefault("receipt", png() if category.receipt_required else None)
    return services.expense_claim_create(
        organisation=organisation,
        member=member,
        category=category,
        date=kwargs.pop("date", DAY),
        description="Bus fare",
        amount=Decimal(amount),
        claimed_by=claimed_by,
        **kwargs,
    )
