from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from withpeople.domain.diversity import PREFER_NOT_TO_SAY, question_figures
from withpeople.domain.suppression import linked_suppression

OPTIONS = [("a", "Under 25"), ("b", "25 to 64"), ("c", "65 and over"), (PREFER_NOT_TO_SAY, "PNTS")]


def test_counts_at_or_above_five_are_shown_with_their_share():
    figures = question_figures(OPTIONS, {"a": 5, "b": 10, "c": 5, PREFER_NOT_TO_SAY: 5})
    assert figures.total == 25
    assert [o.count for o in figures.options] == [5, 10, 5, 5]
    assert [o.percentage for o in figures.options] == [20.0, 40.0, 20.0, 20.0]
    assert figures.suppressed_count == 0


def test_one_small_count_hides_the_next_smallest_too():
    figures = question_figures(OPTIONS, {"a": 6, "b": 10, "c": 5, PREFER_NOT_TO_SAY: 7})
    # "Prefer not to say" is 7 here, so the options are a 6, b 10, c 5, pnts 7: none small.
    assert figures.suppressed_count == 0
    figures = question_figures(OPTIONS, {"a": 6, "b": 10, "c": 2, PREFER_NOT_TO_SAY: 7})
    assert [o.count for o in figures.options] == [None, 10, None, 7]
    assert figures.total == 25
    assert [o.percentage for o in figures.options] == [None, 40.0, None, 28.0]


def test_options_nobody_chose_count_as_small():
    figures = question_figures(OPTIONS, {"a": 6, "b": 10, "c": 7})
    assert [o.count for o in figures.options] == [None, 10, 7, None]


def test_fewer_than_five_answers_show_no_total_and_no_counts():
    figures = question_figures(OPTIONS, {"a": 3, "b": 1})
    assert figures.total is None
    assert all(o.count is None and o.percentage is None for o in figures.options)


def test_targets_are_carried_beside_the_figures():
    figures = question_figures(OPTIONS, {}, targets={"c": Decimal("50.0")})
    assert [o.target_percentage for o in figures.options] == [None, None, Decimal("50.0"), None]


@given(st.lists(st.integers(0, 30), min_size=1, max_size=7))
def test_never_a_small_count_and_never_exactly_one_hidden(values):
    options = [(f"k{i}", f"Option {i}") for i in range(len(values))]
    counts = {key: value for (key, _), value in zip(options, values, strict=True)}
    figures = question_figures(options, counts)
    shown = [o.count for o in figures.options]
    assert all(c is None or c >= 5 for c in shown)
    assert sum(c is None for c in shown) != 1 or len(shown) == 1
    # The one place decides: the figures equal the suppression module's own answer.
    hidden = linked_suppression(counts, {}, 5).hidden
    assert shown == [None if key in hidden else counts[key] for key, _label in options]
    assert figures.total is None or figures.total >= 5
