"""Test helpers for diversity monitoring: objects from other apps, and the figures checker."""

from __future__ import annotations

import re

from withpeople.domain.suppression import DIVERSITY_THRESHOLD


def make_work(organisation, title="Day services review"):
    from withpeople.groups.models import Group
    from withpeople.works.models import Work

    group = Group.objects.create(organisation=organisation, name=f"{title} group")
    return Work.objects.create(
        organisation=organisation, group=group, title=title, level="strategic"
    )


def assert_suppressed_breakdown(summary: list[dict]) -> None:
    """Every shown count is at least the threshold, never exactly one is hidden, and what the
    total leaves for the hidden ones is 0 or at least the threshold."""
    for category in summary:
        counts = [o["count"] for o in category["options"]]
        hidden = [c for c in counts if c is None]
        assert len(hidden) != 1 or len(counts) == 1, category
        assert all(c >= DIVERSITY_THRESHOLD for c in counts if c is not None), category
        assert category["total"] is None or category["total"] >= DIVERSITY_THRESHOLD
        if category["total"] is None:
            assert not [c for c in counts if c is not None]
        else:
            left_for_hidden = category["total"] - sum(c for c in counts if c is not None)
            assert left_for_hidden == 0 or left_for_hidden >= DIVERSITY_THRESHOLD, category


def shown_figures(html: str) -> dict[str, list[str]]:
    """{category id: the data-count of each row} as the figures page rendered them."""
    tables = re.findall(
        r'<table class="govuk-table" data-diversity-category="(\d+)">(.*?)</table>', html, re.S
    )
    return {cid: re.findall(r'data-count="([^"]*)"', body) for cid, body in tables}


def assert_page_matches_summary(html: str, summary: list[dict]) -> None:
    """The page shows exactly the suppressed breakdown: same numbers, hidden where it is."""
    assert_suppressed_breakdown(summary)
    shown = shown_figures(html)
    assert set(shown) == {str(c["id"]) for c in summary}
    for category in summary:
        expected = [
            "hidden" if o["count"] is None else str(o["count"]) for o in category["options"]
        ]
        assert shown[str(category["id"])] == expected
        for value in shown[str(category["id"])]:
            assert value == "hidden" or int(value) >= DIVERSITY_THRESHOLD
