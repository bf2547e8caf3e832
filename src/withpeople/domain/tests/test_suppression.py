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

from hypothesis import example  # noqa: E402

from withpeople.domain.suppression import (  # noqa: E402
    paired_suppressed_keys,
    paired_total_shown,
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


def _possible_pair_values(work, whole, threshold):
    """What a reader of both tables can say each (group, rest) count might be, per key."""
    keys = list(whole)
    whole_hidden = suppressed_keys(whole, threshold)
    work_hidden = paired_suppressed_keys(work, whole, threshold)
    whole_total = sum(whole.values())
    work_total = sum(work.values())
    whole_total_shown = total_shown(whole_total, threshold)
    work_total_shown = paired_total_shown(work_total, whole_total, threshold)
    if not work_total_shown:
        assert work_hidden == set(keys)
    # What the reader sees.
    seen_whole = {k: None if k in whole_hidden else whole[k] for k in keys}
    seen_work = {k: None if (k in work_hidden or not work_total_shown) else work[k] for k in keys}
    # The largest a count could be, from what is shown.
    bound = whole_total if whole_total_shown else threshold - 1
    domains = []
    for k in keys:
        options = []
        for w in [seen_work[k]] if seen_work[k] is not None else range(bound + 1):
            if seen_whole[k] is not None:
                r_values = [seen_whole[k] - w] if seen_whole[k] >= w else []
            else:
                r_values = range(bound + 1 - w)
            options.extend((w, r) for r in r_values)
        domains.append(options)

    def final_ok(w_sum, r_sum):
        if whole_total_shown and w_sum + r_sum != whole_total:
            return False
        if not whole_total_shown and w_sum + r_sum >= threshold:
            return False
        if work_total_shown:
            return w_sum == work_total
        return w_sum < threshold or r_sum < threshold

    # Forward sets of reachable (group sum, rest sum) after each key, and backward ones.
    forward = [{(0, 0)}]
    for options in domains:
        forward.append({(a + w, b + r) for a, b in forward[-1] for w, r in options})
    backward = [set() for _ in range(len(keys) + 1)]
    backward[len(keys)] = {(0, 0)}
    for i in range(len(keys) - 1, -1, -1):
        backward[i] = {(a + w, b + r) for a, b in backward[i + 1] for w, r in domains[i]}
    finals = {f for f in forward[-1] if final_ok(*f)}
    possible = {}
    for i, k in enumerate(keys):
        values = set()
        for w, r in domains[i]:
            if any(
                (f[0] - a - w, f[1] - b - r) in backward[i + 1]
                for f in finals
                for a, b in forward[i]
            ):
                values.add((w, r))
        possible[k] = values
    return possible, whole_hidden, work_hidden, work_total_shown


def _assert_pair_safe(work, whole, threshold):
    possible, whole_hidden, work_hidden, work_total_shown = _possible_pair_values(
        work, whole, threshold
    )
    for key in whole:
        rest = whole[key] - work[key]
        values = possible[key]
        assert (work[key], rest) in values, "the true figures must be possible"
        group_values = {w for w, _r in values}
        rest_values = {r for _w, r in values}
        whole_values = {w + r for w, r in values}
        if key in work_hidden or not work_total_shown:
            assert len(group_values) > 1 or work[key] == 0, (work, whole, key, values)
        if key in whole_hidden:
            assert len(whole_values) > 1 or whole[key] == 0, (work, whole, key, values)
        if len(rest_values) == 1:
            assert rest == 0 or rest >= threshold, (work, whole, key, values)
    # The sums of the hidden cells a reader can work out from the totals.
    rest = {k: whole[k] - work[k] for k in whole}
    if work_total_shown:
        group_hidden_sum = sum(work[k] for k in work_hidden)
        rest_hidden_sum = sum(rest[k] for k in work_hidden)
        assert group_hidden_sum == 0 or group_hidden_sum >= threshold, (work, whole)
        assert rest_hidden_sum == 0 or rest_hidden_sum >= threshold, (work, whole)


@st.composite
def work_and_whole(draw):
    size = draw(st.integers(2, 4))
    work = {f"k{i}": draw(st.integers(0, 9)) for i in range(size)}
    rest = {f"k{i}": draw(st.integers(0, 9)) for i in range(size)}
    return work, {k: work[k] + rest[k] for k in work}


@given(work_and_whole(), st.integers(2, 5))
# Everyone with two of the answers is in the group: "nobody outside" would pin the group's counts.
@example(({"a": 6, "b": 6, "c": 10}, {"a": 6, "b": 6, "c": 20}), 5)
# The organisation's No 9 and the group's No 5 would say 4 outside.
@example(({"no": 5, "yes": 10, "pnts": 0}, {"no": 9, "yes": 20, "pnts": 0}), 5)
def test_no_hidden_count_can_be_worked_out_from_the_organisation_and_group_pair(pair, threshold):
    work, whole = pair
    _assert_pair_safe(work, whole, threshold)


def test_organisation_and_group_figures_cannot_be_subtracted():
    # Organisation: No 9, Yes 20. Group: No 5, Yes 10. Shown, 9 - 5 would say 4 people outside
    # the group said No, so the group's No is hidden, and Yes with it.
    whole = {"no": 9, "yes": 20, "pnts": 0}
    work = {"no": 5, "yes": 10, "pnts": 0}
    assert suppressed_keys(whole, 5) == {"pnts", "no"}
    hidden = paired_suppressed_keys(work, whole, 5)
    assert "no" in hidden
    _assert_pair_safe(work, whole, 5)


def test_a_group_of_nearly_everyone_shows_no_total():
    # 12 in the organisation, 10 in the group: the totals would say 2 outside the group.
    assert not paired_total_shown(10, 12, 5)
    assert paired_total_shown(10, 15, 5)
