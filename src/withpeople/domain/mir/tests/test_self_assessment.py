from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withpeople.domain.mir.self_assessment import (
    FULLY_AND_NOT_YET,
    LEVELS,
    MEDIANS_FAR_APART,
    compare,
    group_view,
    views_differ,
)

ratings = st.lists(st.sampled_from(LEVELS), max_size=12)


def test_group_view_counts_every_level_and_finds_the_median():
    view = group_view(["started", "fully", "started", "mostly"])
    assert view.counts == {"not_yet": 0, "started": 2, "mostly": 1, "fully": 1}
    assert view.total == 4
    assert view.median == Fraction(3, 2)  # between started and mostly
    assert view.middle == ("started", "mostly")


def test_the_middle_rating_is_one_level_for_an_odd_count():
    assert group_view(["fully", "not_yet", "mostly"]).middle == ("mostly",)


def test_the_middle_of_an_even_count_is_never_a_level_nobody_gave():
    view = group_view(["started", "started", "fully", "fully"])
    assert view.middle == ("started", "fully")
    assert view.median == 2  # halfway, which the rule measures from


def test_an_even_split_shows_both_middle_levels_not_one_picked():
    assert group_view(["mostly", "fully"]).middle == ("mostly", "fully")
    assert group_view(["fully", "fully"]).middle == ("fully",)


def test_no_ratings_has_no_median():
    view = group_view([])
    assert view.median is None
    assert view.middle == ()
    assert view.total == 0


def test_medians_two_levels_apart_differ():
    comparison = compare(["started", "started"], ["fully", "fully"])
    assert comparison.differ
    assert comparison.reasons == (MEDIANS_FAR_APART,)


def test_medians_one_level_apart_do_not_differ():
    assert not views_differ(["mostly", "mostly", "mostly"], ["fully", "fully", "mostly"])


def test_fully_against_not_yet_differs_even_when_medians_are_close():
    comparison = compare(["mostly", "mostly", "fully"], ["mostly", "mostly", "not_yet"])
    assert comparison.reasons == (FULLY_AND_NOT_YET,)


def test_nothing_to_compare_when_a_group_has_not_rated():
    assert not views_differ(["fully"], [])
    assert not views_differ([], ["not_yet"])


def test_unknown_level_is_refused():
    with pytest.raises(ValueError, match="is not a level"):
        compare(["brilliant"], ["fully"])


@given(ratings, ratings)
def test_the_rule_is_symmetric(staff, partners):
    assert views_differ(staff, partners) == views_differ(partners, staff)


@given(ratings)
def test_a_group_differs_from_itself_only_when_split_between_fully_and_not_yet(levels):
    split = "fully" in levels and "not_yet" in levels
    assert views_differ(levels, levels) == split


@given(ratings, ratings)
def test_order_of_ratings_does_not_matter(staff, partners):
    assert views_differ(staff, partners) == views_differ(sorted(staff), list(reversed(partners)))


@given(ratings, ratings)
def test_differ_matches_the_rule_in_words(staff, partners):
    comparison = compare(staff, partners)
    if not staff or not partners:
        assert not comparison.differ
        return
    far = abs(comparison.staff.median - comparison.partners.median) >= 2
    split = ("fully" in staff and "not_yet" in partners) or (
        "fully" in partners and "not_yet" in staff
    )
    assert comparison.differ == (far or split)
    assert comparison.staff.total == len(staff)
    assert comparison.partners.total == len(partners)


@given(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=12))
def test_median_lies_between_the_lowest_and_highest_rating(levels):
    median = group_view(levels).median
    positions = [LEVELS.index(level) for level in levels]
    assert min(positions) <= median <= max(positions)


@given(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=12))
def test_the_middle_levels_are_the_median_the_rule_compares(levels):
    view = group_view(levels)
    positions = [LEVELS.index(level) for level in view.middle]
    assert set(view.middle) <= set(levels)
    assert min(positions) <= view.median <= max(positions)
    if len(positions) == 1:
        assert view.median == positions[0]
    else:
        assert view.median == Fraction(sum(positions), 2)
