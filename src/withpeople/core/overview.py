"""The organisation's overview page. Apps add what they have to show in their AppConfig.ready().

Two kinds of thing go on it:

- **things waiting for you**: a check-in to give, an agreement to read, an action you own, claims
  to approve. Each app registers a function that lists the ones for the person looking.
- **sections**: a short summary of one part of the organisation's work, with a link to it.
  Each app registers a template and a function that gives its context, or None to leave the
  section out (for a role that does not use it, say).

Every function gets the request after `organisation_view` has checked the membership, so
`request.organisation` and `request.membership` are set, and must show only what that member
may see.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class Waiting:
    """Something waiting for the person looking: what it is, where to do it, and by when."""

    text: str | Promise
    url: str
    due_on: datetime.date | None = None
    #: Shown under the text, such as the piece of work or group it belongs to.
    detail: str | Promise = ""


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[[HttpRequest], dict | None]
    order: int


_WAITING: dict[str, Callable[[HttpRequest], list[Waiting]]] = {}
_SECTIONS: dict[str, Section] = {}


def register_waiting(name: str, lister: Callable[[HttpRequest], list[Waiting]]) -> None:
    """Add a list of things waiting for people; `name` keeps it from being added twice."""
    _WAITING[name] = lister


def register_section(
    name: str, template: str, context: Callable[[HttpRequest], dict | None], *, order: int
) -> None:
    _SECTIONS[name] = Section(template, context, order)


def waiting_for(request: HttpRequest) -> list[Waiting]:
    """Everything waiting for this member: things with a date first, soonest first."""
    items = [item for lister in _WAITING.values() for item in lister(request)]
    return sorted(items, key=lambda item: (item.due_on is None, item.due_on or datetime.date.min))


def sections_for(request: HttpRequest) -> list[tuple[str, dict]]:
    """(template, context) of each section this member sees, in order."""
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda section: section.order):
        context = section.context(request)
        if context is not None:
            shown.append((section.template, context))
    return shown
