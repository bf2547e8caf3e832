from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from withpeople.organisations.models import Membership, Organisation


def members_with_second_factor(organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's members, each with `has_second_factor`, in one query."""
    return (
        Membership.objects.for_organisation(organisation)
        .select_related("user")
        .annotate(
            has_second_factor=Exists(
                TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
            )
        )
        .order_by("user__name", "pk")
    )
