"""The ladder's labels, translated, for Django to show.

withpeople.domain.ladder keeps its labels in English and only marks them for translation
(`N_`), because it has no Django. Show them through these, never straight from the domain.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from withpeople.domain.ladder import (
    GROUP_LABELS,
    LEVEL_LABELS,
    PERSPECTIVE_LABELS,
    RUNG_BY_SLUG,
    RUNGS,
    Level,
    Perspective,
    Rung,
    RungGroup,
)


def rung_name(rung: Rung) -> Promise:
    return gettext_lazy(rung.name)


def rung_name_of(slug: str | None) -> str:
    """The name of the rung with this slug, translated, or "" when there is no rung."""
    return str(rung_name(RUNG_BY_SLUG[slug])) if slug else ""


def rung_summary(rung: Rung) -> Promise:
    return gettext_lazy(rung.summary)


def group_label(group: RungGroup) -> Promise:
    return gettext_lazy(GROUP_LABELS[group])


def level_label(level: Level | str) -> Promise:
    return gettext_lazy(LEVEL_LABELS[Level(level)])


def perspective_label(perspective: Perspective | str) -> Promise:
    return gettext_lazy(PERSPECTIVE_LABELS[Perspective(perspective)])


#: Choices for model and form fields, labelled in the language of the request.
RUNG_CHOICES = [(rung.slug, rung_name(rung)) for rung in RUNGS]
LEVEL_CHOICES = [(level.value, level_label(level)) for level in LEVEL_LABELS]
PERSPECTIVE_CHOICES = [(p.value, perspective_label(p)) for p in PERSPECTIVE_LABELS]
