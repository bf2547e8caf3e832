"""What the list of pieces of work shows of each, from the stored assessments.

Every label a row needs (rung names, flag titles, levels, statuses) is translated once per
page, not once per cell, so a page of rows costs little more than its queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from withpeople.core.domain_text import flag_title
from withpeople.core.ladder_labels import level_label, rung_name_of
from withpeople.domain.assessment import ASPECT_FLAGS, WORK_FLAGS
from withpeople.domain.ladder import LEVEL_LABELS, RUNG_SLUGS
from withpeople.works.models import Work, WorkAssessment, WorkStatus
from withpeople.works.selectors import stored_aspect_assessments

WORKS_PER_PAGE = 25


def _labels() -> dict[str, dict[str, str]]:
    """Every label a row can need, in the language of the request."""
    return {
        "rung": {"": _("No evidence yet"), **{slug: rung_name_of(slug) for slug in RUNG_SLUGS}},
        "flag": {slug: str(flag_title(slug)) for slug in (*ASPECT_FLAGS, *WORK_FLAGS)},
        "level": {str(level): str(level_label(level)) for level in LEVEL_LABELS},
        "status": {str(value): str(label) for value, label in WorkStatus.choices},
    }


def _stored(work: Work) -> WorkAssessment | None:
    try:
        return work.assessment
    except WorkAssessment.DoesNotExist:
        return None


def work_list_items(works: Sequence[Work]) -> list[dict[str, Any]]:
    """One item per piece of work of the page: its labels, aspects and flags, ready to show."""
    works = list(works)
    labels = _labels()
    rung, flag = labels["rung"], labels["flag"]
    aspects = stored_aspect_assessments(works)
    items = []
    for work in works:
        stored = _stored(work)
        work_flags = stored.assessment["work"]["flags"] if stored is not None else []
        items.append(
            {
                "work": work,
                "level": labels["level"].get(work.level, work.level),
                "status": labels["status"].get(work.status, work.status),
                "aspects": [
                    {
                        "name": row.aspect.name,
                        "intended": rung[row.intended],
                        "evidenced": rung[row.evidenced],
                        "flags": [flag[slug] for slug in row.flags],
                    }
                    for row in aspects[work.pk]
                ],
                "work_flags": [flag[slug] for slug in work_flags],
            }
        )
    return items
