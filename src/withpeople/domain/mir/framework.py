"""A framework of themes, each with I statements and We statements, loaded from data.

Statements are data, not code, so an organisation can load the official Making It Real wording
or its own. A framework file is YAML in this shape (format ``withpeople.framework/1``)::

    format: withpeople.framework/1
    key: default                      # a slug, up to 60 characters
    title: Making It Real             # up to 200 characters
    themes:
      - key: wellbeing-and-independence   # a slug, up to 60 characters, unique in the framework
        title: Wellbeing and independence # up to 200 characters
        statements:
          - key: wi-i1                # text with no spaces, up to 60 characters, unique
            kind: I                   # "I" or "We"
            text: ...
            easy_read: ...            # optional

Statement keys may be an official framework's own (``WI.1``, ``I1a``): any printable characters
but spaces, up to 60. They are unique across the whole framework ignoring case, since a file of
answers names them ignoring case. At least one statement must be an I statement, or the
feedback form would have no questions.

A bad file is reported in full, every problem named by its path (``themes[2].statements[0].kind:
must be "I" or "We"``), so whoever wrote it can fix everything in one go. The lengths are those
the database keeps, so a file that passes these checks is always saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import yaml

from withpeople.domain.input_text import refusal_words, refused_in

FORMAT = "withpeople.framework/1"

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_RULE = "must be a slug (lower-case letters, numbers and hyphens)"
#: The longest key (of the framework, a theme or a statement) and title that can be kept.
MAX_KEY = 60
MAX_TITLE = 200

_FRAMEWORK_FIELDS = ("format", "key", "title", "themes")
_THEME_FIELDS = ("key", "title", "statements")
_STATEMENT_FIELDS = ("key", "kind", "text", "easy_read")


def is_slug(value: object) -> bool:
    """True for lower-case letters and numbers in words joined by single hyphens: ``wi-i1``."""
    return isinstance(value, str) and _SLUG.fullmatch(value) is not None


def is_statement_key(value: object) -> bool:
    """True for printable text with no spaces, of 1 to 60 characters: ``wi-i1``, ``WI.1``."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_KEY
        and value.isprintable()
        and not any(character.isspace() for character in value)
    )


class Kind(StrEnum):
    """I statements say what good looks like to a person; We statements what we commit to."""

    I = "I"  # noqa: E741 - the framework's own name for a first-person statement
    WE = "We"


class FrameworkInvalid(ValueError):
    """A framework that cannot be used, with every problem found, each naming its path."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


@dataclass(frozen=True)
class Statement:
    key: str
    kind: Kind
    text: str
    easy_read: str | None = None

    @property
    def is_i(self) -> bool:
        return self.kind is Kind.I


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    statements: tuple[Statement, ...]

    def i_statements(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.kind is Kind.I)

    def we_statements(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.kind is Kind.WE)


@dataclass(frozen=True)
class Framework:
    key: str
    title: str
    themes: tuple[Theme, ...]
    # Built once, so that looking up a statement's theme while counting answers is cheap.
    _theme_by_statement: dict[str, Theme] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index = {s.key: theme for theme in self.themes for s in theme.statements}
        object.__setattr__(self, "_theme_by_statement", index)

    def statements(self) -> tuple[Statement, ...]:
        """Every statement, I and We, in framework order."""
        return tuple(s for theme in self.themes for s in theme.statements)

    def i_statements(self) -> tuple[Statement, ...]:
        """The I statements in framework order: the ones people give feedback on."""
        return tuple(s for theme in self.themes for s in theme.i_statements())

    def we_statements(self) -> tuple[Statement, ...]:
        """The We statements in framework order: the ones an organisation assesses itself on."""
        return tuple(s for theme in self.themes for s in theme.we_statements())

    def theme_of(self, statement_key: str) -> Theme:
        """The theme a statement belongs to; KeyError for a key not in this framework."""
        return self._theme_by_statement[statement_key]

    def statement(self, statement_key: str) -> Statement:
        """The statement with this key; KeyError for a key not in this framework."""
        for s in self.theme_of(statement_key).statements:
            if s.key == statement_key:
                return s
        raise KeyError(statement_key)  # pragma: no cover - the index and themes agree


#: The largest framework file read: Making It Real in full is about 30 KB.
MAX_YAML_CHARACTERS = 1_000_000
#: The deepest nesting of lists and mappings read: a framework needs five levels.
MAX_YAML_DEPTH = 50

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check_yaml_shape(text: str) -> None:
    """Refuse a file too big or too deeply nested before building anything from it.

    The events are read one at a time without building the document, so a file nested
    thousands deep is refused at depth 51, and one of a million lines before any is kept.
    """
    if len(text) > MAX_YAML_CHARACTERS:
        raise FrameworkInvalid(
            [
                f"framework: the file is larger than {MAX_YAML_CHARACTERS:,} characters; "
                "a framework is much smaller, so check it is a framework file"
            ]
        )
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else 0
                    raise FrameworkInvalid(
                        [
                            f"line {line}: lists and mappings are nested more than "
                            f"{MAX_YAML_DEPTH} deep; a framework needs only a few levels"
                        ]
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as error:
        raise FrameworkInvalid([_describe_yaml_error(error)]) from error


def load_framework_yaml(text: str) -> Framework:
    """Parse a framework from YAML text, reporting a syntax error by line and column."""
    _check_yaml_shape(text)
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader, C or Python
    except yaml.YAMLError as error:
        raise FrameworkInvalid([_describe_yaml_error(error)]) from error
    refused = [f"{where}: {refusal_words(found)}" for where, found in refused_in(data)]
    if refused:
        raise FrameworkInvalid(refused)
    return parse_framework(data)


def _describe_yaml_error(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    detail = f"{context}: {problem}" if context else problem
    if mark is None:
        return f"not valid YAML: {detail}"
    return f"line {mark.line + 1}, column {mark.column + 1}: {detail}"


def parse_framework(data: object) -> Framework:
    """Check a framework loaded from YAML (or JSON) and build it, or report every problem."""
    errors: list[str] = []
    if not isinstance(data, Mapping):
        raise FrameworkInvalid(["framework: must be a mapping with format, key, title and themes"])
    _check_fields(data, _FRAMEWORK_FIELDS, "", errors)
    if data.get("format") != FORMAT:
        errors.append(f'format: must be "{FORMAT}"')
    key = _slug(data, "key", "", errors)
    title = _text(data, "title", "", errors, max_length=MAX_TITLE)
    themes = _themes(data.get("themes"), errors)
    if errors:
        raise FrameworkInvalid(errors)
    return Framework(key=key, title=title, themes=themes)


def _themes(raw: object, errors: list[str]) -> tuple[Theme, ...]:
    if raw is None:
        errors.append("themes: is required")
        return ()
    if not isinstance(raw, list):
        errors.append("themes: must be a list of themes")
        return ()
    if not raw:
        errors.append("themes: must list at least one theme")
    themes: list[Theme] = []
    theme_paths: dict[str, tuple[str, str]] = {}
    statement_paths: dict[str, tuple[str, str]] = {}
    for index, item in enumerate(raw):
        path = f"themes[{index}]"
        if not isinstance(item, Mapping):
            errors.append(f"{path}: must be a mapping with key, title and statements")
            continue
        _check_fields(item, _THEME_FIELDS, path + ".", errors)
        key = _slug(item, "key", path + ".", errors)
        _unique(key, theme_paths, f"{path}.key", errors)
        title = _text(item, "title", path + ".", errors, max_length=MAX_TITLE)
        statements = _statements(item.get("statements"), path, statement_paths, errors)
        themes.append(Theme(key=key, title=title, statements=statements))
    has_statements = any(theme.statements for theme in themes)
    if has_statements and not any(theme.i_statements() for theme in themes):
        errors.append(
            'themes: the framework needs at least one "I" statement, or its feedback form '
            "would have no questions"
        )
    return tuple(themes)


def _statements(
    raw: object, theme_path: str, seen: dict[str, tuple[str, str]], errors: list[str]
) -> tuple[Statement, ...]:
    path = f"{theme_path}.statements"
    if raw is None:
        errors.append(f"{path}: is required")
        return ()
    if not isinstance(raw, list):
        errors.append(f"{path}: must be a list of statements")
        return ()
    if not raw:
        errors.append(f"{path}: must list at least one statement")
    statements: list[Statement] = []
    for index, item in enumerate(raw):
        item_path = f"{path}[{index}]"
        if not isinstance(item, Mapping):
            errors.append(f"{item_path}: must be a mapping with key, kind and text")
            continue
        statements.append(_statement(item, item_path, seen, errors))
    return tuple(statements)


def _statement(
    item: Mapping, path: str, seen: dict[str, tuple[str, str]], errors: list[str]
) -> Statement:
    _check_fields(item, _STATEMENT_FIELDS, path + ".", errors)
    key = _statement_key(item, path + ".", errors)
    # Unique ignoring case: a file of answers names statements ignoring case.
    _unique(key, seen, f"{path}.key", errors, fold=str.lower)
    kind = item.get("kind")
    if kind not in (Kind.I.value, Kind.WE.value):
        errors.append(f'{path}.kind: must be "I" or "We"')
        kind = Kind.I.value
    text = _text(item, "text", path + ".", errors)
    easy_read = None
    if item.get("easy_read") is not None:
        easy_read = _text(item, "easy_read", path + ".", errors) or None
    return Statement(key=key, kind=Kind(kind), text=text, easy_read=easy_read)


def _check_fields(item: Mapping, allowed: tuple[str, ...], prefix: str, errors: list[str]) -> None:
    """Unknown fields are named, because a misspelt ``easy-read`` would otherwise vanish."""
    for name in item:
        if name not in allowed:
            errors.append(f"{prefix}{name}: is not a known field; use {', '.join(allowed)}")


def _slug(item: Mapping, name: str, prefix: str, errors: list[str]) -> str:
    value = item.get(name)
    if value is None:
        errors.append(f"{prefix}{name}: is required")
        return ""
    if not is_slug(value):
        errors.append(f"{prefix}{name}: {SLUG_RULE}")
        return ""
    if len(value) > MAX_KEY:
        errors.append(f"{prefix}{name}: must be {MAX_KEY} characters or fewer")
        return ""
    return value


def _statement_key(item: Mapping, prefix: str, errors: list[str]) -> str:
    value = item.get("key")
    path = f"{prefix}key"
    if value is None:
        errors.append(f"{path}: is required")
    elif not isinstance(value, str):
        # YAML reads 1.1 as a number and yes as true.
        errors.append(f'{path}: must be text; put it in quotes, like "{value}"')
    elif not value:
        errors.append(f"{path}: must not be empty")
    elif len(value) > MAX_KEY:
        errors.append(f"{path}: must be {MAX_KEY} characters or fewer")
    elif not is_statement_key(value):
        errors.append(f"{path}: must have no spaces or unprintable characters")
    else:
        return value
    return ""


def _text(
    item: Mapping, name: str, prefix: str, errors: list[str], *, max_length: int | None = None
) -> str:
    value = item.get(name)
    if value is None:
        errors.append(f"{prefix}{name}: is required")
        return ""
    if not isinstance(value, str):
        errors.append(f"{prefix}{name}: must be text")
        return ""
    if not value.strip():
        errors.append(f"{prefix}{name}: must not be empty")
        return ""
    # Folded YAML lines and stray spaces are tidied into one line of text.
    tidied = " ".join(value.split())
    if max_length is not None and len(tidied) > max_length:
        errors.append(f"{prefix}{name}: must be {max_length} characters or fewer")
        return ""
    return tidied


def _unique(
    key: str,
    seen: dict[str, tuple[str, str]],
    path: str,
    errors: list[str],
    *,
    fold: Callable[[str], str] = str,
) -> None:
    """Note where `key` is first used (as (path, key), by its folded form), or say it is used."""
    if not key:
        return
    folded = fold(key)
    if folded not in seen:
        seen[folded] = (path.removesuffix(".key"), key)
        return
    where, first = seen[folded]
    message = f'{path}: "{key}" is already used at {where}'
    if first != key:
        message += f' as "{first}"; keys must differ by more than capital letters'
    errors.append(message)
