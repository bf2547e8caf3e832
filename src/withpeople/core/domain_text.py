"""The domain's other words, translated, for Django to show.

withpeople.domain keeps flags, the reasons for an evidenced rung, reason categories, who
decided, partners' parts, roles and Making It Real's answers in English, marked for translation
(withpeople.domain.text), because it has no Django. Show them through these, never straight
from the domain; the ladder's own labels are in withpeople.core.ladder_labels.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, ngettext

from withpeople.domain.assessment import ASPECT_FLAGS, WORK_FLAGS, FlagText
from withpeople.domain.mir.results import ANSWER_LABELS, ANSWERS
from withpeople.domain.text import Message
from withpeople.domain.work_record import DECIDERS, PARTNER_PARTS, REASON_CATEGORIES, ROLES


def translate(message: Message) -> str:
    """A domain message in the language of the request."""
    return message.render(gettext, ngettext)


_FLAGS: dict[str, FlagText] = {**ASPECT_FLAGS, **WORK_FLAGS}


def flag_title(slug: str) -> Promise:
    return gettext_lazy(_FLAGS[slug].title)


def flag_text(slug: str) -> FlagText:
    """A flag's title and explanation in the language of the request."""
    flag = _FLAGS[slug]
    return FlagText(gettext(flag.title), gettext(flag.explanation))


def reason_label(category: str) -> str:
    """The name of a reason category, or nothing for none."""
    return gettext(REASON_CATEGORIES[category]) if category in REASON_CATEGORIES else ""


def partner_parts() -> dict[str, str]:
    """Each part partners may have in an activity, completing "At this activity, ..."."""
    return {part: gettext(label) for part, label in PARTNER_PARTS.items()}


def answer_label(answer: str) -> str:
    """A Making It Real answer, such as "Mostly"."""
    return gettext(ANSWER_LABELS[answer])


def _choices(labels: dict[str, str]) -> list[tuple[str, Promise]]:
    return [(key, gettext_lazy(label)) for key, label in labels.items()]


#: Choices for model and form fields, labelled in the language of the request.
FLAG_CHOICES = [(slug, flag_title(slug)) for slug in _FLAGS]
REASON_CHOICES = _choices(REASON_CATEGORIES)
DECIDER_CHOICES = _choices(DECIDERS)
ROLE_CHOICES = _choices(ROLES)
PARTNER_PART_CHOICES = _choices(PARTNER_PARTS)
ANSWER_CHOICES = [(answer, gettext_lazy(ANSWER_LABELS[answer])) for answer in ANSWERS]
