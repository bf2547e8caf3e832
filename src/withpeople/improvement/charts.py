"""Horizontal bar charts drawn on the server, with nothing to run in the browser.

Each row's label and figure are ordinary page text, so they wrap and keep the body text size on
a phone (a whole chart drawn as one scaled SVG shrank its words to about 7 pixels at 320 pixels
wide). Only the bar itself is a small SVG: its width attribute is a percentage, which needs no
inline style (the Content-Security-Policy forbids them), and an SVG fill still prints when the
browser leaves out backgrounds.

A chart is an image (`role="img"`) named by its caption; the numbers are always also in a table
beside it, so nobody needs to read the bars. A suppressed value is shown as words, never a bar.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The longest bar, as a percentage of the chart's width: the rest is room for its figure
#: ("100%") beside it on the narrowest screen.
BAR_SPACE = 75


@dataclass(frozen=True)
class Bar:
    label: str
    display: str
    #: The bar's width as a percentage of the chart's, or None when the value is not shown.
    width: float | None

    @property
    def shown(self) -> bool:
        return self.width is not None


@dataclass(frozen=True)
class BarChart:
    id: str
    caption: str
    bars: tuple[Bar, ...]


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
    for label, value, display in rows:
        width = None if value is None else _share(value, top)
        bars.append(Bar(label=" ".join(str(label).split()), display=display, width=width))
    return BarChart(id=chart_id, caption=caption, bars=tuple(bars))


def _share(value: float, top: float) -> float:
    return 0.0 if top <= 0 else round(BAR_SPACE * value / top, 1)
