"""Horizontal bar charts drawn on the server as SVG, with nothing to run in the browser.

A chart is an image (`role="img"`) named by its caption; the numbers are always also in a table
beside it, so nobody needs to read the bars. A suppressed value is drawn as words, never a bar.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 600
LABEL_HEIGHT = 22
BAR_HEIGHT = 22
ROW_GAP = 14
BAR_SPACE = 470  # leaves room after the longest bar for its figure
LABEL_CHARACTERS = 64


@dataclass(frozen=True)
class Bar:
    label: str
    display: str
    label_y: int
    bar_y: int
    bar_width: float
    text_x: float
    text_y: int
    shown: bool


@dataclass(frozen=True)
class BarChart:
    id: str
    caption: str
    bars: tuple[Bar, ...]
    height: int
    width: int = WIDTH


def _short(label: str) -> str:
    label = " ".join(str(label).split())
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def bar_chart(
    chart_id: str,
    caption: str,
    rows: list[tuple[str, float | None, str]],
    *,
    maximum: float | None = None,
) -> BarChart:
    """`rows` are (label, value or None when not shown, the value as words)."""
    values = [value for _label, value, _display in rows if value is not None]
    top = maximum if maximum is not None else max(values, default=0)
    bars = []
    row_height = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    for index, (label, value, display) in enumerate(rows):
        label_y = index * row_height + 17
        bar_y = index * row_height + LABEL_HEIGHT
        width = 0.0 if value is None or top <= 0 else round(BAR_SPACE * value / top, 1)
        bars.append(
            Bar(
                label=_short(label),
                display=display,
                label_y=label_y,
                bar_y=bar_y,
                bar_width=width,
                text_x=width + 8,
                text_y=bar_y + 17,
                shown=value is not None,
            )
        )
    return BarChart(id=chart_id, caption=caption, bars=tuple(bars), height=len(rows) * row_height)
