from collections.abc import Mapping

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

KEY_LABELS = {
    "name": _("Name"),
    "email": _("Email address"),
    "role": _("Role"),
    "perspective": _("Perspective"),
    "joined_at": _("Joined"),
    "joined_on": _("Joined on"),
    "left_on": _("Left on"),
    "group": _("Group"),
    "contact": _("How to reach them"),
    "piece_of_work": _("Piece of work"),
    "activity": _("Activity"),
    "kind": _("Kind"),
    "date": _("Date"),
    "consent": _("Consent"),
    "given_at": _("Given at"),
    "wording": _("Wording agreed to"),
    "answers": _("Answers"),
    "question": _("Question"),
    "answer": _("Answer"),
    "at": _("When"),
    "action": _("Action"),
    "subject_type": _("Kind of record"),
    "subject_id": _("Record id"),
    "consent_given": _("Consent given"),
    "answers_held": _("Answers held"),
    "recorded": _("Recorded"),
    "version": _("Version"),
    "agreed_at": _("Agreed at"),
}


@register.filter
def is_mapping(value) -> bool:
    return isinstance(value, Mapping)


@register.filter
def is_sequence(value) -> bool:
    return isinstance(value, list | tuple)


@register.filter
def humanise_key(key) -> str:
    label = KEY_LABELS.get(str(key))
    if label is not None:
        return label
    text = str(key).replace("_", " ")
    return text[:1].upper() + text[1:]
