"""What changed between two versions of a working agreement, section by section."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

SAME = "same"
ADDED = "added"
REMOVED = "removed"


@dataclass(frozen=True)
class Line:
    kind: str  # SAME, ADDED or REMOVED
    text: str


def line_diff(old: str, new: str) -> list[Line]:
    """The lines of `new` with the lines removed from `old` shown where they were."""
    old_lines = old.splitlines()
    new_lines = new.splitlines()
    lines: list[Line] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(Line(SAME, text) for text in old_lines[i1:i2])
            continue
        lines.extend(Line(REMOVED, text) for text in old_lines[i1:i2])
        lines.extend(Line(ADDED, text) for text in new_lines[j1:j2])
    return lines


@dataclass(frozen=True)
class SectionChange:
    heading: str
    changed: bool
    lines: list[Line]


def agreement_changes(old, new) -> list[SectionChange]:
    """Each section of two agreement versions, with its line-by-line changes."""
    old_text = {field: text for field, _heading, text in old.sections()}
    changes = []
    for field, heading, text in new.sections():
        lines = line_diff(old_text[field], text)
        changes.append(SectionChange(heading, any(line.kind != SAME for line in lines), lines))
    old_review = date_format(old.review_on, "j F Y")
    new_review = date_format(new.review_on, "j F Y")
    review = line_diff(old_review, new_review)
    changes.append(
        SectionChange(_("When we review this agreement"), old_review != new_review, review)
    )
    return changes
