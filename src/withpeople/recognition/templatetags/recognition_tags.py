from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from withpeople.domain import money
from withpeople.recognition.models import MoneyStatus, PaymentMethod, Preference

register = template.Library()

STATUS_COLOURS = {
    "due": "govuk-tag--yellow",
    "approved": "govuk-tag--blue",
    "paid": "govuk-tag--green",
    "rejected": "govuk-tag--red",
}


@register.filter
def pounds(amount) -> str:
    """£1,234.50; an empty amount shows as "Not set"."""
    if amount is None or amount == "":
        return _("Not set")
    return money.format_pounds(amount)


@register.filter
def duration(minutes) -> str:
    """'2 hours 30 minutes', '45 minutes'."""
    minutes = int(minutes or 0)
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if rest or not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", rest) % {"n": rest})
    return " ".join(parts)


@register.simple_tag
def status_tag(obj) -> str:
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STATUS_COLOURS.get(obj.status, "govuk-tag--grey"),
        obj.get_status_display(),
    )


def _tag(colour: str, text: str) -> str:
    return format_html('<strong class="govuk-tag {}">{}</strong>', colour, text)


def _choice(member) -> str | None:
    try:
        return member.recognition_preference.choice
    except AttributeError:  # RelatedObjectDoesNotExist: nothing chosen yet
        return None


@register.simple_tag
def time_status(record) -> str:
    """Where one time record is with being recognised, in the words of the person's choice.

    A payment for the time says what happened to it; otherwise the person's choice says what
    is still to come: not paid yet, not thanked yet, or nothing, because they wanted none.
    """
    payment = record.payment
    if payment is not None:
        vouchers = payment.method == PaymentMethod.VOUCHER
        if payment.status == MoneyStatus.PAID:
            return _tag("govuk-tag--green", _("Vouchers given") if vouchers else _("Paid"))
        if payment.status == MoneyStatus.APPROVED:
            text = (
                _("Vouchers approved, not given yet")
                if vouchers
                else _("Payment approved, not paid yet")
            )
            return _tag("govuk-tag--blue", text)
        text = _("Vouchers waiting for approval") if vouchers else _("Payment waiting for approval")
        return _tag("govuk-tag--yellow", text)
    choice = _choice(record.member)
    if choice == Preference.THANKS:
        if record.thanked_on:
            return _tag("govuk-tag--green", _("Thanked"))
        return _tag("govuk-tag--grey", _("Not thanked yet"))
    if choice == Preference.DECLINE:
        return _tag("govuk-tag--grey", _("No recognition wanted"))
    if choice == Preference.PAYMENT:
        return _tag("govuk-tag--grey", _("Not paid yet"))
    if choice == Preference.VOUCHERS:
        return _tag("govuk-tag--grey", _("Vouchers not given yet"))
    return _tag("govuk-tag--grey", _("Not chosen yet"))


@register.simple_tag
def still_to_recognise(member) -> str:
    """A person's time records not yet recognised the way they chose, in words that fit it.

    `member` is annotated with `not_recognised`: their time records not recognised as they
    chose (see withpeople.recognition.selectors.RECOGNISED).
    """
    count = member.not_recognised or 0
    choice = _choice(member)
    if choice == Preference.DECLINE:
        return _("None: no payment, vouchers or thanks wanted")
    if not count:
        return _("None")
    if choice == Preference.THANKS:
        return ngettext(
            "%(n)d time record not thanked yet", "%(n)d time records not thanked yet", count
        ) % {"n": count}
    if choice == Preference.VOUCHERS:
        return ngettext(
            "%(n)d time record with no vouchers yet",
            "%(n)d time records with no vouchers yet",
            count,
        ) % {"n": count}
    if choice == Preference.PAYMENT:
        return ngettext(
            "%(n)d time record not paid yet", "%(n)d time records not paid yet", count
        ) % {"n": count}
    return ngettext(
        "%(n)d time record: how to recognise it is not chosen yet",
        "%(n)d time records: how to recognise them is not chosen yet",
        count,
    ) % {"n": count}
