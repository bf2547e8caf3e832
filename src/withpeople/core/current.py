"""Which organisation a request is working in, for the page furniture and the home page.

Organisations, and who belongs to them, live in an app above this one; it says how to find the
organisation in its `AppConfig.ready()` with `register_current_organisation`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

_FINDER: list[Callable[[HttpRequest], Any]] = []


def register_current_organisation(finder: Callable[[HttpRequest], Any]) -> None:
    """Set how to find the organisation a request is working in (None for none)."""
    _FINDER[:] = [finder]


def current_organisation(request: HttpRequest) -> Any:
    """The organisation the person is working in, or None."""
    if not _FINDER:
        return getattr(request, "organisation", None)
    return _FINDER[0](request)
