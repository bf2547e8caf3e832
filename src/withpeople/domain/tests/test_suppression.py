from hypothesis import given
from hypothesis import strategies as st

from withpeople.domain.suppression import is_suppressed, suppressed_keys


def test_below_threshold_is_suppressed():
    assert is_suppressed(4, 5)
    assert not is_suppressed(5, 5)


def test_single_small_cell_takes_the_next_smallest_with_it():
    counts = {"a": 3, "b": 9, "c": 7, "d": 20}
    assert suppressed_keys(counts, 5) == {"a", "c"}


def test_ties_for_next_smallest_are_broken_by_key():
    assert suppressed_keys({"z": 2, "m": 8, "b": 8}, 5) == {"z", "b"}


def test_two_small_cells_adding_up_to_the_threshold_need_no_more():
    assert suppressed_keys({"a": 3, "b": 2, "c": 30, "d": 40}, 5) == {"a", "b"}


def test_two_small_cells_need_no_more_whatever_they_add_up_to():
    # The total says the two hidden cells hold 3 people between them, but not who is where:
    # the rule asks for a second hidden cell only when exactly one is hidden.
    assert suppressed_keys({"a": 1, "b": 2, "c": 30, "d": 40}, 5) == {"a", "b"}


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


# --- Nothing hidden can be worked out -----------------------------------------------------------
#
# The reader is given everything a page shows: the shown counts, the totals (or that a total is
# hidden, which says it is small), and, for a piece of work, the organisation's figures beside
# the group's. The tests find, by trying every completion consistent with all of that, which
# values each hidden count could have. A hidden count is safe when it could be more than one
# value; the only value a reader may pin down is 0 (nobody gave that answer). In a single table
# the reader may learn the sum of two or more hidden counts, as the rule allows. Beside the
# organisation's table, a group's hidden sum, and anything about the people outside the group
# (organisation minus group, never shown), from 1 to threshold - 1 may not be pinned down.

from itertools import combinations, product  # noqa: E402

import pytest  # noqa: E402

from withpeople.domain.suppression import (  # noqa: E402
    ResultsStep,
    linked_suppression,
    next_results_step,
    total_shown,
)


def _single_completions(shown, total, threshold):
    """Every breakdown consistent with one published table: {key: count or None}, total."""
    keys = list(shown)
    hidden = [k for k in keys if shown[k] is None]
    known = sum(c for c in shown.values() if c is not None)
    targets = [total - known] if total is not None else range(0, threshold - known)
    for target in targets:
        for values in product(range(target + 1), repeat=len(hidden)):
            if sum(values) == target:
                yield dict(zip(hidden, values, strict=True))


def _assert_single_table_safe(counts, threshold):
    hidden = sorted(suppressed_keys(counts, threshold))
    total = sum(counts.values())
    shown_total = total if total_shown(total, threshold) else None
    shown = {k: (None if k in hidden else c) for k, c in counts.items()}
    # Every non-empty set of hidden cells, with the sums it could have.
    subsets = [combo for size in range(1, len(hidden) + 1) for combo in combinations(hidden, size)]
    possible: dict[tuple[str, ...], set[int]] = {combo: set() for combo in subsets}
    for completion in _single_completions(shown, shown_total, threshold):
        for combo in subsets:
            possible[combo].add(sum(completion[k] for k in combo))
    for combo in subsets:
        true_sum = sum(counts[k] for k in combo)
        assert true_sum in possible[combo]
        if len(combo) == 1 and len(possible[combo]) == 1:
            assert true_sum == 0, (counts, combo, possible[combo])


single_breakdowns = st.lists(st.integers(0, 12), min_size=1, max_size=5).map(
    lambda values: {f"k{i}": v for i, v in enumerate(values)}
)


@given(single_breakdowns, st.integers(2, 5))
def test_no_hidden_count_can_be_worked_out_from_the_total(counts, threshold):
    _assert_single_table_safe(counts, threshold)


def test_the_total_cannot_reveal_a_single_hidden_count():
    # 16 people: with 5, 5 and 5 shown, the total would give away the one hidden count.
    counts = {"a": 5, "b": 5, "c": 5, "d": 1}
    hidden = suppressed_keys(counts, 5)
    assert hidden == {"a", "d"}
    _assert_single_table_safe(counts, 5)


def test_hidden_cells_adding_up_to_nobody_need_no_more_hiding():
    assert suppressed_keys({"a": 0, "b": 0, "c": 9}, 5) == {"a", "b"}


# --- Linked tables: the organisation and any number of groups ------------------------------
#
# The full audit, with an integer linear programme over every table, is in
# tests/test_suppression_audit.py; these are the rule's cases in words.


def test_three_tables_hide_the_same_answers():
    # 48 people in works X (27) and Y (21): the case a reader once solved with three tables.
    x = {"a": 9, "b": 9, "c": 6, "pnts": 3}
    y = {"a": 5, "b": 5, "c": 6, "pnts": 5}
    whole = {k: x[k] + y[k] for k in x}
    linked = linked_suppression(whole, {"X": x, "Y": y}, 5)
    assert linked.hidden == {"pnts", "c"}
    assert linked.whole_shown and linked.parts_shown == {"X", "Y"}


def test_a_group_of_nearly_everyone_shows_no_total():
    # 12 in the organisation, 10 in the group: the totals would say 2 outside the group.
    whole = {"a": 6, "b": 6}
    linked = linked_suppression(whole, {"G": {"a": 5, "b": 5}}, 5)
    assert linked.parts_shown == frozenset()
    # The group's answers are hidden everywhere, so it cannot be worked out from the rest.
    assert linked.hidden == {"a", "b"}


def test_answers_of_a_small_group_are_hidden_in_every_table():
    whole = {"a": 20, "b": 20, "c": 20}
    linked = linked_suppression(whole, {"small": {"a": 2, "b": 0, "c": 0}}, 5)
    assert "a" in linked.hidden and len(linked.hidden) >= 2
    assert "small" not in linked.parts_shown


def test_hidden_counts_add_up_to_at_least_the_threshold_in_every_shown_table():
    whole = {"a": 0, "b": 1, "c": 30, "d": 40}
    linked = linked_suppression(whole, {}, 5)
    assert linked.hidden == {"a", "b", "c"}


def test_a_whole_below_the_threshold_shows_nothing():
    linked = linked_suppression({"a": 2, "b": 2}, {"G": {"a": 1, "b": 0}}, 5)
    assert not linked.whole_shown and linked.parts_shown == frozenset()


def test_a_part_must_be_part_of_the_whole():
    with pytest.raises(ValueError):
        linked_suppression({"a": 2}, {"G": {"a": 3}}, 5)
    with pytest.raises(ValueError):
        linked_suppression({"a": 2}, {"G": {"b": 1}}, 5)


# --- Feedback results move only in steps ------------------------------------------------------

LIVE = ResultsStep({("s1", "carer", "always"): 6, ("s1", "", "never"): 2}, 8)


def test_the_first_step_publishes_everything():
    assert next_results_step(None, LIVE) == LIVE


def test_one_more_answer_moves_nothing():
    more = ResultsStep({**LIVE.answers, ("s1", "carer", "never"): 1}, 9)
    assert next_results_step(LIVE, more) == LIVE


def test_a_group_moves_when_the_threshold_of_its_answers_changed():
    more = ResultsStep(
        {**LIVE.answers, ("s1", "carer", "never"): 3, ("s1", "carer", "mostly"): 2,
         ("s1", "", "always"): 4},
        17,
    )  # fmt: skip
    step = next_results_step(LIVE, more)
    # The carers' five new answers are published; the four with no perspective wait.
    assert step.answers == {
        ("s1", "carer", "always"): 6,
        ("s1", "carer", "never"): 3,
        ("s1", "carer", "mostly"): 2,
        ("s1", "", "never"): 2,
    }
    assert step.responses == 17


def test_an_answer_taken_away_counts_as_a_change():
    fewer = ResultsStep({("s1", "carer", "always"): 1, ("s1", "", "never"): 2}, 3)
    step = next_results_step(LIVE, fewer)
    assert step.answers == {("s1", "carer", "always"): 1, ("s1", "", "never"): 2}
    assert step.responses == 3


@given(
    st.dictionaries(
        st.tuples(st.sampled_from(["s1", "s2"]), st.sampled_from(["", "carer"]),
                  st.sampled_from(["always", "never"])),
        st.integers(0, 12),
    ),
    st.dictionaries(
        st.tuples(st.sampled_from(["s1", "s2"]), st.sampled_from(["", "carer"]),
                  st.sampled_from(["always", "never"])),
        st.integers(0, 12),
    ),
)  # fmt: skip
def test_no_figure_moves_by_fewer_than_the_threshold(before, after):
    published = next_results_step(None, ResultsStep(before, 0))
    step = next_results_step(published, ResultsStep(after, 0))
    for level in (2, 1):  # a statement and perspective, then a statement
        moved: dict[tuple, int] = {}
        for key in set(step.answers) | set(published.answers):
            change = abs(step.answers.get(key, 0) - published.answers.get(key, 0))
            moved[key[:level]] = moved.get(key[:level], 0) + change
        assert all(n == 0 or n >= 5 for n in moved.values()), moved
