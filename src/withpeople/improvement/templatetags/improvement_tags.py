"""Figures as words for the improvement pages."""

from __future__ import annotations

from functools import cache

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from withpeople.domain.suppression import FEEDBACK_THRESHOLD

register = template.Library()


@register.filter
def percent(value) -> str:
    """66.7 -> "66.7%". Only ever given a figure that is shown, never a suppressed one."""
    if value is None:
        return ""
    return _("%(value)s%%") % {"value": f"{value:.1f}".removesuffix(".0")}


@register.filter
def change_pp(value) -> str:
    """A change in percentage points, with its direction in words as well as a sign."""
    if value is None:
        return _("Not available")
    if value == 0:
        return _("No change")
    points = f"{abs(value):.1f}".removesuffix(".0")
    number = 1 if abs(value) == 1 else 2  # ngettext counts in whole numbers
    if value > 0:
        return ngettext(
            "Up %(points)s percentage point", "Up %(points)s percentage points", number
        ) % {"points": points}
    return ngettext(
        "Down %(points)s percentage point", "Down %(points)s percentage points", number
    ) % {"points": points}


STATUS_TAGS = {
    "planned": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "change_made": "govuk-tag--green",
    "not_possible": "govuk-tag--orange",
}


@register.filter
def status_tag(status: str) -> str:
    return STATUS_TAGS.get(status, "govuk-tag--grey")


@register.simple_tag
def suppressed_note() -> SafeString:
    """What shows in place of a figure hidden to protect anonymity.

    Made once per language: a results page shows it in many cells.
    """
    return _suppressed_note(get_language())


@cache
def _suppressed_note(language: str | None) -> SafeString:
    return format_html(
        '<span class="govuk-hint govuk-!-margin-bottom-0">{}</span>',
        _("Fewer than %(threshold)s answers — not shown to protect anonymity")
        % {"threshold": FEEDBACK_THRESHOLD},
    )
