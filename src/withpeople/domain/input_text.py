"""Text people send us, by any way in, is refused if it holds characters that are not text.

NUL cannot be stored by PostgreSQL at all (a 500 rather than an answer, before this check), and
the other control characters (and lone surrogates, which a JSON body can carry as `\\ud800`)
are invisible, break exports and other programs, and are never part of what someone meant to
write. Tab, line feed and carriage return are allowed: they are how text is laid out.

One rule, used by every way in: Django forms (every CharField, `withpeople.core.text_input`),
the responses CSV, the framework YAML, the work record and the JSON API.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: C0 controls but tab, LF and CR; DEL and the C1 controls; lone surrogates; U+FFFE and U+FFFF.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def first_refused_character(text: str) -> str | None:
    """The first character of `text` that is not allowed, as "U+0000", or None."""
    match = _REFUSED.search(text)
    return None if match is None else f"U+{ord(match.group()):04X}"


def refusal_words(found: str) -> str:
    """What to do about a refused character, "U+0000" say, in words that say how to fix it."""
    return (
        f"has the control character {found}, which is invisible and cannot be saved; "
        f"remove it, or type or paste the text again as plain text"
    )


def refused_in(data: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Each string in nested data (a parsed JSON or YAML document, keys too) that is refused,
    with where it is ("answers.key") and the character found."""
    if isinstance(data, str):
        found = first_refused_character(data)
        if found is not None:
            yield path or "text", found
    elif isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and first_refused_character(key) is not None:
                yield where, first_refused_character(key) or ""
            yield from refused_in(value, where)
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from refused_in(value, f"{path}[{index}]")
