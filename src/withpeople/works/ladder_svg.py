"""The ladder picture: where an aspect was meant to be, is seen to be, and is evidenced to be.

Drawn on the server as inline SVG so it needs no JavaScript. It is one image (`role="img"`)
named by a caption; the same facts are in a table beside it for screen readers and for anyone
who prefers reading to pictures.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from withpeople.core.ladder_labels import rung_name
from withpeople.domain.ladder import RUNGS, RungGroup

_ROW = 28
_TOP = 34
_LABEL_WIDTH = 120
_COLUMN = 52
_SCALE = 1.4
#: Light backgrounds per group of rungs; text on them is near-black, well above 4.5:1.
_BACKGROUND = {
    RungGroup.DOING_TO: "#f4f8fb",
    RungGroup.DOING_FOR: "#e8f1f8",
    RungGroup.DOING_WITH: "#d2e2f1",
}
#: Marker colours from the GOV.UK palette; each marker also carries a letter, so colour is
#: never the only way to tell them apart.
_MARKERS = (
    ("intended", "P", "#1d70b8"),
    ("partners", "Pa", "#912b88"),
    ("staff", "S", "#6f4e00"),
    ("evidenced", "E", "#00703c"),
)


def column_labels() -> dict[str, str]:
    return {
        "intended": _("Plan"),
        "partners": _("Partners"),
        "staff": _("Staff"),
        "evidenced": _("Evidence"),
    }


@lru_cache(maxsize=32)
def _background(language: str | None) -> SafeString:
    """The rungs and column headings, the same in every ladder: drawn once per language."""
    labels = column_labels()
    width = _LABEL_WIDTH + _COLUMN * len(_MARKERS)
    rows = []
    for index, rung in enumerate(reversed(RUNGS)):
        y = _TOP + index * _ROW
        rows.append(
            format_html(
                '<rect x="0" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="6" y="{}" font-size="13" fill="#0b0c0c">{}</text>',
                y,
                width,
                _ROW - 2,
                _BACKGROUND[rung.group],
                y + 18,
                rung_name(rung),
            )
        )
    headers = format_html_join(
        "",
        '<text x="{}" y="20" font-size="12" font-weight="bold" text-anchor="middle" '
        'fill="#0b0c0c">{}</text>',
        (
            (_LABEL_WIDTH + _COLUMN * column + _COLUMN // 2, labels[key])
            for column, (key, _letter, _colour) in enumerate(_MARKERS)
        ),
    )
    return SafeString("".join(rows) + headers)


_POSITIONS = {rung.slug: index for index, rung in enumerate(reversed(RUNGS))}


def ladder_svg(*, caption_id: str, rungs: dict[str, str | None]) -> SafeString:
    """An SVG ladder with a marker in each column at the rung given (none for None)."""
    width = _LABEL_WIDTH + _COLUMN * len(_MARKERS)
    height = _TOP + _ROW * len(RUNGS) + 4
    positions = _POSITIONS
    markers = []
    for column, (key, letter, colour) in enumerate(_MARKERS):
        slug = rungs.get(key)
        if slug is None:
            continue
        cx = _LABEL_WIDTH + _COLUMN * column + _COLUMN // 2
        cy = _TOP + positions[slug] * _ROW + (_ROW - 2) // 2
        markers.append(
            format_html(
                '<circle cx="{}" cy="{}" r="11" fill="{}"/>'
                '<text x="{}" y="{}" font-size="10" font-weight="bold" text-anchor="middle" '
                'fill="#ffffff">{}</text>',
                cx,
                cy,
                colour,
                cx,
                cy + 4,
                letter,
            )
        )
    # Drawn at 1.4 times its coordinates, so the rung names read at about the size of body
    # text; on a narrow screen the stylesheet shrinks it to fit (max-width: 100%).
    return format_html(
        '<svg class="wp-ladder" role="img" aria-labelledby="{}" viewBox="0 0 {} {}" '
        'width="{}" height="{}" font-family="Arial, Helvetica, sans-serif" '
        'xmlns="http://www.w3.org/2000/svg" focusable="false">'
        "{}{}</svg>",
        caption_id,
        width,
        height,
        round(width * _SCALE),
        round(height * _SCALE),
        _background(get_language()),
        SafeString("".join(markers)),
    )
