from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from withpeople.domain import money

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
