"""Results charts: bars in proportion, leaving room for their figures; hidden values are words."""

from __future__ import annotations

from withpeople.improvement.charts import BAR_SPACE, bar_chart


def test_bars_are_in_proportion_and_the_longest_leaves_room_for_its_figure():
    chart = bar_chart(
        "c", "Caption", [("One", 100, "100%"), ("Two", 50, "50%"), ("Three", 0, "0%")], maximum=100
    )
    assert [bar.width for bar in chart.bars] == [BAR_SPACE, BAR_SPACE / 2, 0]
    assert BAR_SPACE <= 75  # "100%" must still fit beside the bar at 320 pixels wide


def test_without_a_maximum_the_largest_value_is_the_longest_bar():
    chart = bar_chart("c", "Caption", [("Always", 6, "6"), ("Never", 2, "2")])
    assert [bar.width for bar in chart.bars] == [BAR_SPACE, 25.0]


def test_a_value_not_shown_has_no_bar_and_labels_keep_every_word():
    label = "1. A long I statement,\n  written over   two lines " + "and more " * 10
    chart = bar_chart("c", "Caption", [(label, None, "Fewer than 5 answers")])
    (bar,) = chart.bars
    assert not bar.shown and bar.width is None and bar.display == "Fewer than 5 answers"
    assert bar.label == " ".join(label.split())  # whole, on one line: the page wraps it
