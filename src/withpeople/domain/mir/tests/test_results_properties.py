"""Properties that hold for any answers: the anonymity rules and the arithmetic."""

from hypothesis import given, settings
from hypothesis import strategies as st

from withpeople.domain.mir.results import ANSWERS, assert_no_small_numbers, compute_results
from withpeople.domain.mir.tests.examples import SMALL_FRAMEWORK
from withpeople.domain.suppression import FEEDBACK_THRESHOLD

KEYS = [s.key for s in SMALL_FRAMEWORK.i_statements()]
# A few perspectives, so that groups are often near the threshold and often tie.
PERSPECTIVES = (None, "lived_experience", "carer", "manager", "frontline_staff")

ANSWER = st.tuples(st.sampled_from(PERSPECTIVES), st.sampled_from(KEYS), st.sampled_from(ANSWERS))
ANSWER_LISTS = st.lists(ANSWER, max_size=160)


def compute(answers: list) -> dict:
    return compute_results(SMALL_FRAMEWORK, answers, cycle="c", responses=len(answers))


def every_entry(results: dict):
    """Each statement, theme and perspective entry, with a name for failure messages."""
    for entry in results["statements"]:
        yield entry["key"], entry
        for slug, group in entry["by_perspective"].items():
            yield f"{entry['key']}/{slug}", group
    for entry in results["themes"]:
        yield f"theme:{entry['key']}", entry


@given(ANSWER_LISTS)
def test_positive_percent_is_between_nought_and_a_hundred(answers) -> None:
    for name, entry in every_entry(compute(answers)):
        if not entry["suppressed"]:
            assert 0.0 <= entry["positive_percent"] <= 100.0, name


@given(ANSWER_LISTS)
def test_suppressed_entries_carry_no_numbers(answers) -> None:
    for name, entry in every_entry(compute(answers)):
        if entry["suppressed"]:
            assert entry["answered"] is None, name
            assert entry["positive_percent"] is None, name
            assert entry.get("counts") is None, name


@given(ANSWER_LISTS)
def test_nothing_shown_rests_on_fewer_than_five_answers(answers) -> None:
    for name, entry in every_entry(compute(answers)):
        if not entry["suppressed"]:
            assert entry["answered"] >= FEEDBACK_THRESHOLD, name


@given(ANSWER_LISTS)
def test_never_exactly_one_hidden_group_among_two_or_more(answers) -> None:
    results = compute(answers)
    for entry in results["statements"]:
        groups = entry["by_perspective"]
        hidden = [slug for slug, group in groups.items() if group["suppressed"]]
        assert len(groups) < 2 or len(hidden) != 1, entry["key"]


@given(ANSWER_LISTS)
def test_statements_and_themes_are_hidden_exactly_when_fewer_than_five_answered(answers) -> None:
    results = compute(answers)
    for entry in results["statements"]:
        answered = sum(1 for _, key, a in answers if key == entry["key"] and a != "not_applicable")
        assert entry["suppressed"] is (answered < FEEDBACK_THRESHOLD), entry["key"]
    for theme in results["themes"]:
        keys = {
            s.key for t in SMALL_FRAMEWORK.themes if t.key == theme["key"] for s in t.statements
        }
        answered = sum(1 for _, key, a in answers if key in keys and a != "not_applicable")
        assert theme["suppressed"] is (answered < FEEDBACK_THRESHOLD), theme["key"]


@given(ANSWER_LISTS)
def test_the_checker_accepts_whatever_compute_results_gives(answers) -> None:
    assert_no_small_numbers(compute(answers))


@given(ANSWER_LISTS)
def test_a_theme_pools_its_statements(answers) -> None:
    results = compute(answers)
    for theme in results["themes"]:
        entries = [e for e in results["statements"] if e["theme"] == theme["key"]]
        if theme["suppressed"] or any(e["suppressed"] for e in entries):
            continue
        assert theme["answered"] == sum(e["answered"] for e in entries)
        positive = sum(e["counts"]["always"] + e["counts"]["mostly"] for e in entries)
        assert abs(theme["positive_percent"] - 100 * positive / theme["answered"]) <= 0.05 + 1e-9


@given(ANSWER_LISTS)
def test_shown_counts_add_up_to_the_answers_given(answers) -> None:
    for entry in compute(answers)["statements"]:
        if entry["suppressed"]:
            continue
        given_here = [a for _, key, a in answers if key == entry["key"]]
        assert sum(entry["counts"].values()) == len(given_here)
        assert entry["answered"] == len(given_here) - given_here.count("not_applicable")


@settings(max_examples=50)
@given(ANSWER_LISTS, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_answers(answers, rng) -> None:
    shuffled = list(answers)
    rng.shuffle(shuffled)
    assert compute(shuffled) == compute(answers)
