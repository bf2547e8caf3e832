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
    assert view.most_common == "started"


def test_a_tie_for_most_common_goes_to_the_lower_level():
    assert group_view(["fully", "not_yet"]).most_common == "not_yet"


def test_no_ratings_has_no_median():
    view = group_view([])
    assert view.median is None
    assert view.most_common is None
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
