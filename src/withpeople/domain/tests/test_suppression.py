from hypothesis import given
from hypothesis import strategies as st

from withpeople.domain.suppression import is_suppressed, suppress, suppressed_keys


def test_below_threshold_is_suppressed():
    assert is_suppressed(4, 5)
    assert not is_suppressed(5, 5)


def test_single_small_cell_takes_the_next_smallest_with_it():
    counts = {"a": 3, "b": 9, "c": 7, "d": 20}
    assert suppressed_keys(counts, 5) == {"a", "c"}
    assert suppress(counts, 5) == {"a": None, "b": 9, "c": None, "d": 20}


def test_ties_for_next_smallest_are_broken_by_key():
    assert suppressed_keys({"z": 2, "m": 8, "b": 8}, 5) == {"z", "b"}


def test_two_small_cells_need_no_secondary_suppression():
    assert suppressed_keys({"a": 1, "b": 2, "c": 30}, 5) == {"a", "b"}


def test_nothing_small_nothing_hidden():
    assert suppressed_keys({"a": 5, "b": 6}, 5) == frozenset()


def test_lone_cell_is_simply_suppressed():
    assert suppressed_keys({"a": 2}, 5) == {"a"}


breakdowns = st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 40), max_size=8)


@given(breakdowns)
def test_no_single_hidden_cell_and_no_small_shown_cell(counts):
    hidden = suppressed_keys(counts, 5)
    assert len(hidden) != 1 or len(counts) == 1
    for key, count in counts.items():
        if count < 5:
            assert key in hidden
