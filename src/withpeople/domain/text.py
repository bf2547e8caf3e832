"""Words for people, kept in English and marked for translation, without Django.

The domain has no Django, so it cannot translate. It keeps what people read in English and
marks it so that `withpeople makemessages` finds it (see withpeople.core's makemessages, which
adds these keywords to xgettext's):

- `N_("...")` marks a label: a rung's name, a flag's title, a reason category.
- `say("...", **values)` is a sentence, or part of one, with values put in by name, so that a
  translator can move them: ``say("To reach %(rung)s, ...", rung=...)``.
- `say_n(singular, plural, count, **values)` is the same with a singular and a plural, chosen
  by `count`, which is also put in as ``%(count)s``.

A value may be another `Message` (translated in its turn), a tuple of messages (a list, "a, b
and c", joined by `and_list`), or anything else, shown as it is (a number, a name).

`str(message)` is the English, identical to the assessment format's English: the command line
and the machine-readable formats use that. Django code shows a message in the language of the
request with `message.render(gettext, ngettext)` (withpeople.core.domain_text does it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def N_(message: str) -> str:
    """Mark `message` for translation without translating it."""
    return message


def _same(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


@dataclass(frozen=True)
class Message:
    """Words for people: an English message id, the values to put in it, and how to show it."""

    text: str
    #: The English plural, when the words depend on `count`.
    plural: str = ""
    count: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    #: Shown in lower case, as a name is in the middle of a sentence ("to reach co-design").
    lower_case: bool = False

    def render(self, gettext: Gettext = _same, ngettext: Ngettext = _english_plural) -> str:
        """The words, translated by `gettext` and `ngettext` (by default, in English)."""
        if not self.text:
            return ""  # gettext("") would be the catalogue's header.
        if self.count is not None:
            text = ngettext(self.text, self.plural, self.count)
        else:
            text = gettext(self.text)
        if self.count is not None or self.values:
            values = {
                name: _render(value, gettext, ngettext) for name, value in self.values.items()
            }
            if self.count is not None:
                values.setdefault("count", self.count)
            text = text % values
        return text.lower() if self.lower_case else text

    def __str__(self) -> str:
        return self.render()


def _render(value: object, gettext: Gettext, ngettext: Ngettext) -> object:
    if isinstance(value, Message):
        return value.render(gettext, ngettext)
    if isinstance(value, tuple):
        return gettext(LIST_SEPARATOR).join(str(_render(item, gettext, ngettext)) for item in value)
    return value


def say(text: str, /, **values: Any) -> Message:
    """Words with `values` put in by name, such as ``%(rung)s``."""
    return Message(text, values=values)


def say_n(singular: str, plural: str, count: int, /, **values: Any) -> Message:
    """Words that depend on `count`: `singular` for one, `plural` otherwise (in English)."""
    return Message(singular, plural=plural, count=count, values=values)


def name_in_sentence(label: str) -> Message:
    """A label marked with `N_`, shown in lower case in the middle of a sentence."""
    return Message(label, lower_case=True)


# Translators: separates the items of a list, as the comma does in "a, b and c".
LIST_SEPARATOR = N_(", ")


def and_list(items: list[Message]) -> Message:
    """Items in a list, as in "a, b and c"; nothing for no items."""
    if len(items) <= 1:
        return items[0] if items else Message("")
    # Translators: the end of a list, as in "a, b and c": %(items)s is "a, b".
    return say("%(items)s and %(last)s", items=tuple(items[:-1]), last=items[-1])


# --- Keeping messages: stored assessments keep their reasons to show them translated later ----


def message_to_data(message: Message) -> dict[str, Any]:
    """The message as plain JSON data, which `message_from_data` turns back into it."""
    return {
        "text": message.text,
        "plural": message.plural,
        "count": message.count,
        "values": {name: _value_to_data(value) for name, value in message.values.items()},
        "lower_case": message.lower_case,
    }


def message_from_data(data: Mapping[str, Any]) -> Message:
    """The message `message_to_data` gave this data for."""
    return Message(
        data["text"],
        plural=data["plural"],
        count=data["count"],
        values={name: _value_from_data(value) for name, value in data["values"].items()},
        lower_case=data["lower_case"],
    )


def _value_to_data(value: object) -> dict[str, Any]:
    if isinstance(value, Message):
        return {"message": message_to_data(value)}
    if isinstance(value, tuple):
        return {"list": [_value_to_data(item) for item in value]}
    if value is None or isinstance(value, str | int | float | bool):
        return {"value": value}
    raise TypeError(f"A message cannot keep a value of type {type(value).__name__}")


def _value_from_data(data: Mapping[str, Any]) -> object:
    if "message" in data:
        return message_from_data(data["message"])
    if "list" in data:
        return tuple(_value_from_data(item) for item in data["list"])
    return data["value"]
