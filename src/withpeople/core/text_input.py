"""Every form's text is checked for characters that are not text (withpeople.domain.input_text).

`check_every_form_text_field()`, called once from CoreConfig.ready(), gives every Django form
CharField (and its subclasses: email, URL, slug…) the check, in the project's forms and in
Django's own (sign-in, password reset), so no form can forget it. NUL was refused already by
Django, in words that did not say what to do; its message is ours too now.
"""

from __future__ import annotations

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from withpeople.domain.input_text import first_refused_character

MESSAGE = _(
    "Remove the control character %(character)s from the text: it is invisible and cannot be "
    "saved. Type or paste the text again as plain text"
)


def refuse_control_characters(value: object) -> None:
    if not isinstance(value, str):
        return
    found = first_refused_character(value)
    # NUL is left to Django's own validator on every CharField, which now says the same.
    if found is not None and found != "U+0000":
        raise ValidationError(MESSAGE, code="control_character", params={"character": found})


def check_every_form_text_field() -> None:
    if refuse_control_characters not in forms.CharField.default_validators:
        forms.CharField.default_validators = [
            *forms.CharField.default_validators,
            refuse_control_characters,
        ]
    validators.ProhibitNullCharactersValidator.message = _(
        "Remove the control character U+0000 from the text: it is invisible and cannot be "
        "saved. Type or paste the text again as plain text"
    )
