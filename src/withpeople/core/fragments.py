"""Parts of pages rendered once and kept, keyed by everything they are drawn from.

A fragment's key is a digest of the rows it shows (every stored field of each), the language and
whatever else the caller names, so a change to any of them makes a new key: nothing is ever
shown stale, and nothing needs clearing. Fragments are kept in each web process's memory (the
"fragments" cache), as they are cheap to make again and never differ between processes.
Only parts that are the same for everyone who may see the page belong here: never anything
with a token, a form's answers or errors, or what one person may see and another may not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import caches
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

#: Kept for an hour without use; a changed row makes a new key at once.
TIMEOUT = 60 * 60


def fingerprint(rows: Iterable[Model]) -> list[tuple]:
    """Every stored field of each row, in order: what a fragment drawn from them shows."""
    return [
        (row._meta.label, *(getattr(row, field.attname) for field in row._meta.concrete_fields))
        for row in rows
    ]


def rendered(template_name: str, context: dict[str, Any], *, key: Iterable[Any]) -> SafeString:
    """`template_name` rendered with `context`, kept under `key` (with the language)."""
    return kept(
        ("rendered", template_name, *key),
        lambda: mark_safe(render_to_string(template_name, context)),  # noqa: S308 (ours)
    )


def kept_while_unchanged(read_key: Callable[[], Iterable[Any]], make: Callable[[], Any]) -> Any:
    """As `kept`, with the key read from the database by `read_key()`, for a value drawn from
    rows that people change (and may change back): kept only if the key read again once the
    value is made is the same, so a change committed while it was being made is never kept
    under the key of the rows before it."""
    key = tuple(read_key())
    return kept(key, make, keep_if=lambda: tuple(read_key()) == key)


def _cache_key(key: Iterable[Any]) -> str:
    digest = hashlib.sha256(repr((get_language(), *key)).encode()).hexdigest()
    return f"fragment:{digest}"


def kept(
    key: Iterable[Any], make: Callable[[], Any], *, keep_if: Callable[[], bool] | None = None
) -> Any:
    """What `make()` gives, kept under `key` (with the language): for a fragment drawn with
    figures the page also shows elsewhere. The value must pickle. `keep_if`, asked once the
    value is made, can say not to keep it."""
    cache = caches["fragments"]
    cache_key = _cache_key(key)
    value = cache.get(cache_key)
    if value is None:
        value = make()
        if keep_if is None or keep_if():
            cache.set(cache_key, value, TIMEOUT)
    return value
