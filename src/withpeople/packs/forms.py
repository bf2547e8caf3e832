"""The period of an organisation's evidence pack: two GOV.UK date inputs, checked as GOV.UK's
date input pattern asks (each part given, a real date, the end on or after the start)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: The earliest year a period may start: an organisation cannot have recorded anything before.
EARLIEST_YEAR = 2000


@dataclass
class DateInput:
    """One date input: its name (``from`` or ``to``), legend, parts as typed, and error."""

    name: str
    legend: str
    day: str = ""
    month: str = ""
    year: str = ""
    error: str = ""
    #: The part the error is about, for the red border and the error summary's link.
    error_part: str = ""

    @property
    def first_input_id(self) -> str:
        return f"{self.name}-{self.error_part or 'day'}"


_PARTS = (
    ("day", gettext_lazy("a day")),
    ("month", gettext_lazy("a month")),
    ("year", gettext_lazy("a year")),
)


def _read(date_input: DateInput, what: str) -> dt.date | None:
    """The date typed, or None with the error set."""
    parts = {"day": date_input.day, "month": date_input.month, "year": date_input.year}
    missing = [name for name, _label in _PARTS if not parts[name]]
    if len(missing) == 3:
        date_input.error = _("Enter %(what)s") % {"what": what}
        return None
    if missing:
        date_input.error_part = missing[0]
        labels = dict(_PARTS)
        date_input.error = _("%(what)s must include %(part)s") % {
            "what": what[:1].upper() + what[1:],
            "part": labels[missing[0]],
        }
        return None
    try:
        day, month, year = (int(parts[name]) for name in ("day", "month", "year"))
        if year < EARLIEST_YEAR or len(parts["year"]) != 4:
            raise ValueError
        return dt.date(year, month, day)
    except ValueError:
        date_input.error = _("%(what)s must be a real date, like 27 3 2026") % {
            "what": what[:1].upper() + what[1:]
        }
        return None


class PeriodForm:
    """The period of the pack, from the address (a GET form, so the pack can be bookmarked)."""

    def __init__(
        self, data: Mapping[str, str] | None, *, today: dt.date, sent: bool = False
    ) -> None:
        """`sent`: the form was sent (a POST), so a period is needed even if nothing came."""
        self.today = today
        self.bound = sent or (
            bool(data)
            and any(
                f"{name}-{part}" in data
                for name in ("from", "to")
                for part in ("day", "month", "year")
            )
        )
        self.inputs = [
            DateInput("from", _("From")),
            DateInput("to", _("To")),
        ]
        if self.bound:
            for date_input in self.inputs:
                for part in ("day", "month", "year"):
                    setattr(
                        date_input,
                        part,
                        str(data.get(f"{date_input.name}-{part}", "")).strip()[:10],
                    )
        else:
            # The year up to today, the period most inspections ask about.
            start = today - dt.timedelta(days=364)
            for date_input, day in zip(self.inputs, (start, today), strict=True):
                date_input.day, date_input.month, date_input.year = (
                    str(day.day),
                    str(day.month),
                    str(day.year),
                )
        self.start: dt.date | None = None
        self.end: dt.date | None = None

    @property
    def errors(self) -> list[DateInput]:
        return [date_input for date_input in self.inputs if date_input.error]

    def is_valid(self) -> bool:
        if not self.bound:
            return False
        start_input, end_input = self.inputs
        self.start = _read(start_input, _("the date the period starts"))
        self.end = _read(end_input, _("the date the period ends"))
        if self.start and self.start > self.today:
            start_input.error = _("The date the period starts must be today or in the past")
            self.start = None
        if self.start and self.end and self.end < self.start:
            end_input.error = _(
                "The date the period ends must be the same as or after the date it starts"
            )
            self.end = None
        return not self.errors


def parse_period(
    start: str | None, end: str | None, names: tuple[str, str] = ("--from", "--to")
) -> tuple[dt.date | None, dt.date | None, list[str]]:
    """A period written as two ISO dates (YYYY-MM-DD), for the command and the API; `names`
    are what the two are called there, for the messages."""
    problems = []
    dates = []
    for value, what in ((start, names[0]), (end, names[1])):
        try:
            dates.append(dt.date.fromisoformat(value))
        except (TypeError, ValueError):
            problems.append(
                f"{what}: {value!r} is not a date written as YYYY-MM-DD, like 2026-03-27"
            )
            dates.append(None)
    first, last = dates
    if first and last and last < first:
        problems.append(
            f"{names[1]}: {last} is before {names[0]} {first}; "
            "the period must end on or after its start"
        )
    return first, last, problems
