"""The rules of the history: a reason says something, differences are old beside new, and the
summary counts who did what."""

from __future__ import annotations

from withpeople.domain import history as rules


def test_a_reason_says_something():
    assert [p.code for p in rules.change_reason_problems("  ")] == [rules.CHANGE_REASON_MISSING]
    assert [p.code for p in rules.change_reason_problems("ok")] == [rules.CHANGE_REASON_TOO_SHORT]
    assert [p.code for p in rules.change_reason_problems("x" * 301)] == [
        rules.CHANGE_REASON_TOO_LONG
    ]
    assert rules.change_reason_problems("The date was wrong") == []
    assert str(rules.change_reason_problems("", withdrawing=True)[0].message) == (
        "Say why you are withdrawing this"
    )


def test_differences_are_the_fields_that_changed_in_the_order_given():
    old = {"date": "2026-01-01", "title": "A", "notes": ""}
    new = {"date": "2026-01-02", "title": "A", "notes": "Held online"}
    assert rules.differences(old, new, ["notes", "title", "date"]) == [
        rules.FieldChange("notes", "", "Held online"),
        rules.FieldChange("date", "2026-01-01", "2026-01-02"),
    ]
    # First recorded: every field that says something, from nothing.
    assert rules.differences(
        None, {"title": "A", "notes": "", "done": False}, ["title", "notes", "done"]
    ) == [rules.FieldChange("title", None, "A")]


def test_the_summary_counts_each_kind_and_who_most_first():
    summary = rules.summarise(
        [
            (rules.RECORDED, "Sam"),
            (rules.CHANGED, "Ali"),
            (rules.CHANGED, "Sam"),
            (rules.WITHDRAWN, "Ali"),
            (rules.REMOVED, "Bo"),
            (rules.CHANGED, "Ali"),
        ]
    )
    assert (summary.records, summary.changes, summary.withdrawals, summary.removals) == (1, 3, 1, 1)
    assert list(summary.by_whom.items()) == [("Ali", 3), ("Sam", 2), ("Bo", 1)]
