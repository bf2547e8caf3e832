"""What the organisation's overview shows of recognition: claims and payments to deal with."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import ngettext

from withpeople.core.overview import Waiting
from withpeople.groups.models import GroupMember
from withpeople.recognition.access import is_finance_staff
from withpeople.recognition.models import ExpenseClaim, MoneyStatus, Payment


def money_waiting(request: HttpRequest) -> list[Waiting]:
    """For staff and admins: claims and payments to approve (not their own), then to pay."""
    membership = request.membership
    if not is_finance_staff(membership):
        return []
    organisation = request.organisation
    url = reverse("recognition:home", kwargs={"org_slug": organisation.slug})
    # Not their own: one subquery of their few places in groups, rather than a join to
    # every group member of each claim and payment.
    own = GroupMember.objects.filter(membership=membership).values("pk")
    counts = {
        "due": Count("pk", filter=Q(status=MoneyStatus.DUE)),
        "approved": Count("pk", filter=Q(status=MoneyStatus.APPROVED)),
    }
    claims = (
        ExpenseClaim.objects.for_organisation(organisation)
        .filter(status__in=[MoneyStatus.DUE, MoneyStatus.APPROVED])
        .exclude(member__in=own)
        .aggregate(**counts)
    )
    payments = (
        Payment.objects.for_organisation(organisation)
        .filter(status__in=[MoneyStatus.DUE, MoneyStatus.APPROVED])
        .exclude(member__in=own)
        .aggregate(**counts)
    )
    to_approve = claims["due"] + payments["due"]
    to_pay = claims["approved"] + payments["approved"]
    waiting = []
    if to_approve:
        waiting.append(
            Waiting(
                text=ngettext(
                    "%(count)d expense claim or payment is waiting for approval",
                    "%(count)d expense claims and payments are waiting for approval",
                    to_approve,
                )
                % {"count": to_approve},
                url=url,
            )
        )
    if to_pay:
        waiting.append(
            Waiting(
                text=ngettext(
                    "%(count)d approved claim or payment is waiting to be paid",
                    "%(count)d approved claims and payments are waiting to be paid",
                    to_pay,
                )
                % {"count": to_pay},
                url=url,
            )
        )
    return waiting
