"""A meeting's time in words, in Europe/London: "Tuesday 12 January 2027, 2pm to 4pm"."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def time_in_words(moment: dt.datetime) -> str:
    """2pm, 2:30pm, midday or midnight, as GOV.UK writes times."""
    local = timezone.localtime(moment)
    if local.hour == 12 and local.minute == 0:
        return _("midday")
    if local.hour == 0 and local.minute == 0:
        return _("midnight")
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def day_in_words(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "l j F Y")


def when_in_words(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    if timezone.localdate(starts_at) == timezone.localdate(ends_at):
        return _("%(day)s, %(start)s to %(end)s") % {
            "day": day_in_words(starts_at),
            "start": time_in_words(starts_at),
            "end": time_in_words(ends_at),
        }
    return _("%(start_day)s, %(start)s to %(end_day)s, %(end)s") % {
        "start_day": day_in_words(starts_at),
        "start": time_in_words(starts_at),
        "end_day": day_in_words(ends_at),
        "end": time_in_words(ends_at),
    }
