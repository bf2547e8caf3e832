"""What the list of pieces of work shows of each, from the stored assessments.

Every label a row needs (rung names, flag titles, levels, statuses) is translated once per
page, not once per cell, so a page of rows costs little more than its queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from withpeople.core.domain_text import flag_title
from withpeople.core.ladder_labels import level_label, rung_name_of
from withpeople.domain.assessment import ASPECT_FLAGS, WORK_FLAGS
from withpeople.domain.ladder import LEVEL_LABELS, RUNG_SLUGS
from withpeople.works.models import FLAG_FIELDS, Work, WorkAssessment, WorkStatus
from withpeople.works.selectors import stored_aspect_rows

WORKS_PER_PAGE = 25


def _labels() -> dict[str, Any]:
    """Every label a page of rows can need, in the language of the request, looked up once."""
    return {
        "rung": {"": _("No evidence yet"), **{slug: rung_name_of(slug) for slug in RUNG_SLUGS}},
        "flag": {slug: str(flag_title(slug)) for slug in (*ASPECT_FLAGS, *WORK_FLAGS)},
        "level": {str(level): str(level_label(level)) for level in LEVEL_LABELS},
        "status": {str(value): str(label) for value, label in WorkStatus.choices},
        "caption": _("Aspects of %(title)s"),
    }


def _stored(work: Work) -> WorkAssessment | None:
    try:
        return work.assessment
    except WorkAssessment.DoesNotExist:
        return None


def table_labels() -> dict[str, str]:
    """The words every row's table repeats, translated once for the page."""
    return {
        "aspect": _("Aspect"),
        "planned": _("Planned"),
        "evidenced": _("Evidenced"),
        "no_aspects": _("No aspects yet."),
        # The same message as the template gave, markup and all: translators keep it whole.
        "published": mark_safe(  # noqa: S308 (our own message, no input in it)
            _('<span class="govuk-visually-hidden">Openness statement </span>Published')
        ),
    }


def work_list_items(works: Sequence[Work], *, list_url: str) -> list[dict[str, Any]]:
    """One item per piece of work of the page: its labels, aspects and flags, ready to show.

    `works` come with their stored assessment (`works_filtered`); `list_url` is the address of
    the list, which each piece of work's address extends.
    """
    works = list(works)
    labels = _labels()
    rung, flag, caption = labels["rung"], labels["flag"], labels["caption"]
    aspects = stored_aspect_rows(works)
    items = []
    for work in works:
        stored = _stored(work)
        items.append(
            {
                "work": work,
                "url": f"{list_url}{work.pk}/",
                "caption": caption % {"title": work.title},
                "level": labels["level"].get(work.level, work.level),
                "status": labels["status"].get(work.status, work.status),
                "aspects": [
                    {
                        "name": name,
                        "intended": rung[intended],
                        "evidenced": rung[evidenced],
                        "flags": [flag[slug] for slug in flags],
                    }
                    for name, intended, evidenced, flags in aspects[work.pk]
                ],
                # The work's own flags are never aspect flags, so the columns tell them exactly.
                "work_flags": [
                    flag[slug]
                    for slug in WORK_FLAGS
                    if stored is not None and getattr(stored, FLAG_FIELDS[slug])
                ],
            }
        )
    return items
