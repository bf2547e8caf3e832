"""What the organisation's overview shows of recognition: claims and payments to deal with."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import ngettext

from withpeople.core.overview import Waiting
from withpeople.recognition.access import is_finance_staff
from withpeople.recognition.models import ExpenseClaim, MoneyStatus, Payment


def money_waiting(request: HttpRequest) -> list[Waiting]:
    """For staff and admins: claims and payments to approve (not their own), then to pay."""
    membership = request.membership
    if not is_finance_staff(membership):
        return []
    organisation = request.organisation
    url = reverse("recognition:home", kwargs={"org_slug": organisation.slug})
    not_own = {"member__membership": membership}
    claims = ExpenseClaim.objects.for_organisation(organisation).exclude(**not_own)
    payments = Payment.objects.for_organisation(organisation).exclude(**not_own)
    to_approve = (
        claims.filter(status=MoneyStatus.DUE).count()
        + payments.filter(status=MoneyStatus.DUE).count()
    )
    to_pay = (
        claims.filter(status=MoneyStatus.APPROVED).count()
        + payments.filter(status=MoneyStatus.APPROVED).count()
    )
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
