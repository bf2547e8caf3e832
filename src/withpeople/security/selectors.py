from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from withpeople.domain.single_sign_on import covers
from withpeople.organisations.models import Membership, Organisation
from withpeople.security.models import SingleSignOn


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


def single_sign_on_for_email(email: str) -> list[SingleSignOn]:
    """The providers that are on and sign in people at this address's domain, by organisation
    name. Several organisations may share one domain (NHSmail's nhs.net)."""
    configs = SingleSignOn.objects.filter(enabled=True).select_related("organisation")
    return sorted(
        (c for c in configs if covers(c.email_domains, email)),
        key=lambda c: (c.organisation.name, c.pk),
    )
