"""An audit of diversity suppression across every table a reader can see at once.

The reader is given every table the organisation publishes for a question: the organisation's
own and each group's (each piece of work's), with their shown counts and totals. Behind them is
one count per answer and per *membership pattern* (which groups a person is in), a whole number
of 0 or more; every published figure is a sum of some of those counts, and the reader knows
which. For each hidden count in a shown table, an integer linear programme
(`scipy.optimize.milp`) finds the smallest and the largest value it could have, given all of
that; the two must differ by at least the threshold. For a group whose table is not shown at
all, none of its counts other than 0 may be pinned down exactly.

This reader is stronger than a real one (they would not know the membership patterns of the
people who consented); the rule does not use what the suppression rule itself says (that a
cell hidden first is below 5), as is usual for audits of tables.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from withpeople.domain.diversity import OptionFigure, QuestionFigures, question_figures
from withpeople.domain.suppression import DIVERSITY_THRESHOLD

THRESHOLD = DIVERSITY_THRESHOLD


@dataclass
class AuditResult:
    """How many hidden counts were audited, and the narrowest interval found among them."""

    cells: int = 0
    withheld_cells: int = 0
    narrowest: int | None = None
    problems: list[str] = field(default_factory=list)

    def add(self, other: AuditResult) -> None:
        self.cells += other.cells
        self.withheld_cells += other.withheld_cells
        if other.narrowest is not None:
            self.narrowest = (
                other.narrowest if self.narrowest is None else min(self.narrowest, other.narrowest)
            )
        self.problems += other.problems


def audit_question(
    options: list[str],
    people: list[tuple[str, frozenset[str]]],
    groups: list[str],
    *,
    exact: bool = True,
) -> AuditResult:
    """Publish one question's tables from `people` (answer, groups) and audit them.

    With `exact` False, a hidden count whose largest value is already the threshold above its
    true value is not minimised too: its interval is then reported as that lower bound.
    """
    whole = Counter(answer for answer, _groups in people)
    parts = {g: Counter(answer for answer, in_groups in people if g in in_groups) for g in groups}
    labelled = [(key, key) for key in options]
    tables = {None: question_figures(labelled, whole, parts=parts)}
    for g in groups:
        tables[g] = question_figures(labelled, whole, parts=parts, part=g)
    return audit_tables(options, people, tables, exact=exact)


def audit_tables(
    options: list[str],
    people: list[tuple[str, frozenset[str]]],
    tables: dict[str | None, QuestionFigures],
    *,
    exact: bool = True,
) -> AuditResult:
    """Audit published tables ({None: the organisation's, group: the group's}) of `people`."""
    whole = Counter(answer for answer, _groups in people)
    parts = {g: Counter(a for a, gs in people if g in gs) for g in tables if g is not None}
    patterns = sorted({in_groups for _answer, in_groups in people}, key=sorted)
    atoms = [(key, pattern) for key in options for pattern in patterns]
    truth = Counter(people)

    def row(table: str | None, key: str | None) -> np.ndarray:
        return np.array(
            [
                1.0 if (key is None or k == key) and (table is None or table in p) else 0.0
                for k, p in atoms
            ]
        )

    rows, values = [], []
    for table, figures in tables.items():
        if figures.total is None:
            continue
        rows.append(row(table, None))
        values.append(figures.total)
        for option in figures.options:
            if option.count is not None:
                rows.append(row(table, option.key))
                values.append(option.count)
    result = AuditResult()
    if not atoms:
        return result
    constraint = (
        [LinearConstraint(np.array(rows), values, values)] if rows else []
    )  # every shown figure is exactly what it says
    integrality = np.ones(len(atoms))
    bounds = Bounds(0, len(people) if not rows else np.inf)

    def extreme(objective: np.ndarray) -> int:
        solved = milp(objective, constraints=constraint, integrality=integrality, bounds=bounds)
        assert solved.success, solved.message
        return round(solved.fun)

    for table, figures in tables.items():
        withheld = figures.total is None
        for option in figures.options:
            if option.count is not None:
                continue
            true = whole[option.key] if table is None else parts[table][option.key]
            if withheld and true == 0:
                continue
            cell = row(table, option.key)
            largest = -extreme(-cell)
            # The smallest is needed only when the largest alone does not show enough room.
            if largest - true >= THRESHOLD and not withheld and not exact:
                smallest = None
                width = largest - true
            else:
                smallest = extreme(cell)
                width = largest - smallest
            assert (smallest is None or smallest <= true) and true <= largest
            name = f"{'organisation' if table is None else table}/{option.key}={true}"
            if withheld:
                result.withheld_cells += 1
                if width == 0:
                    result.problems.append(f"{name}: withheld, and pinned exactly")
                continue
            result.cells += 1
            result.narrowest = width if result.narrowest is None else min(result.narrowest, width)
            if width < THRESHOLD:
                result.problems.append(f"{name}: only {width} apart ({smallest} to {largest})")
    assert truth.total() == len(people)
    return result


def _people(counts: dict[frozenset[str], dict[str, int]]) -> list[tuple[str, frozenset[str]]]:
    return [
        (answer, pattern)
        for pattern, by_answer in counts.items()
        for answer, n in by_answer.items()
        for _ in range(n)
    ]


def test_the_three_table_case_no_longer_gives_away_a_hidden_count():
    # 48 consenting members, split between works X (27) and Y (21). Before, X showed a 9 and
    # b 9 and hid c and "prefer not to say"; Y showed c 6; the organisation showed c 12. So X's
    # c was 12 - 6 and X's "prefer not to say" 27 - 9 - 9 - 6 = 3.
    x, y = frozenset({"X"}), frozenset({"Y"})
    people = _people(
        {x: {"a": 9, "b": 9, "c": 6, "pnts": 3}, y: {"a": 5, "b": 5, "c": 6, "pnts": 5}}
    )
    options = ["a", "b", "c", "pnts"]
    result = audit_question(options, people, ["X", "Y"])
    assert result.problems == []
    assert result.cells >= 6
    whole = Counter(answer for answer, _ in people)
    parts = {g: Counter(a for a, gs in people if g in gs) for g in ("X", "Y")}
    x_figures = question_figures([(k, k) for k in options], whole, parts=parts, part="X")
    y_figures = question_figures([(k, k) for k in options], whole, parts=parts, part="Y")
    organisation = question_figures([(k, k) for k in options], whole, parts=parts)
    hidden = {o.key for o in x_figures.options if o.suppressed}
    assert "pnts" in hidden
    # The same answers are hidden in all three tables, so no table can be subtracted.
    assert hidden == {o.key for o in y_figures.options if o.suppressed}
    assert hidden == {o.key for o in organisation.options if o.suppressed}


def test_the_audit_finds_the_three_table_leak_of_tables_suppressed_one_by_one():
    # The tables as they were published when each was suppressed on its own or as a pair.
    x, y = frozenset({"X"}), frozenset({"Y"})
    people = _people(
        {x: {"a": 9, "b": 9, "c": 6, "pnts": 3}, y: {"a": 5, "b": 5, "c": 6, "pnts": 5}}
    )

    def table(counts, total):
        options = tuple(OptionFigure(k, k, c, None, None) for k, c in counts.items())
        return QuestionFigures(options, total)

    tables = {
        None: table({"a": 14, "b": 14, "c": 12, "pnts": 8}, 48),
        "X": table({"a": 9, "b": 9, "c": None, "pnts": None}, 27),
        "Y": table({"a": None, "b": 5, "c": 6, "pnts": None}, 21),
    }
    result = audit_tables(["a", "b", "c", "pnts"], people, tables)
    assert "X/pnts=3: only 0 apart (3 to 3)" in result.problems


# --- random organisations ---------------------------------------------------------------------
#
# Each example is a batch of five organisations, so the Hypothesis profile's examples (200 in
# CI) audit five times as many organisations without raising the profile for one test.

ORGANISATIONS_PER_EXAMPLE = 5


@st.composite
def organisations(draw):
    options = [f"o{i}" for i in range(draw(st.integers(2, 5)))]
    groups = [f"g{i}" for i in range(draw(st.integers(0, 4)))]
    people = draw(
        st.lists(
            st.tuples(
                st.sampled_from(options),
                st.frozensets(st.sampled_from(groups), max_size=len(groups))
                if groups
                else st.just(frozenset()),
            ),
            max_size=60,
        )
    )
    return options, people, groups


AUDITED = AuditResult()


@given(st.lists(organisations(), min_size=ORGANISATIONS_PER_EXAMPLE, max_size=5))
def test_random_organisations_hide_every_hidden_count_across_all_their_tables(batch):
    for options, people, groups in batch:
        result = audit_question(options, people, groups, exact=False)
        assert result.problems == [], (options, people, groups, result.problems)
        AUDITED.add(result)


def test_report_of_the_random_audit(capsys):
    # Run after the property test in the same file (tests run in file order): say how much
    # was audited, for the record.
    if AUDITED.cells == 0:
        pytest.skip("the random audit has not run in this process")
    with capsys.disabled():
        print(
            f"\nsuppression audit, random organisations: {AUDITED.cells} hidden counts in shown"
            f" tables, narrowest interval at least {AUDITED.narrowest};"
            f" {AUDITED.withheld_cells} counts"
            " in withheld tables, none pinned"
        )
    assert AUDITED.narrowest >= THRESHOLD


# --- the demo organisation ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_hides_every_hidden_count_across_all_its_tables():
    from django.core.management import call_command

    from withpeople.diversity.models import DiversityAnswer, DiversityCategory
    from withpeople.diversity.selectors import diversity_summary
    from withpeople.domain.diversity import PREFER_NOT_TO_SAY
    from withpeople.groups.models import GroupMember
    from withpeople.organisations.models import Organisation
    from withpeople.works.models import Work

    call_command("demo", "--force", "--password", "demo-pass-123", verbosity=0)
    result = AuditResult()
    for organisation in Organisation.objects.all():
        groups_of: dict[int, set[str]] = {}
        for membership_id, group_id in GroupMember.objects.filter(
            group__organisation=organisation, left_on__isnull=True
        ).values_list("membership_id", "group_id"):
            groups_of.setdefault(membership_id, set()).add(str(group_id))
        groups = sorted({g for gs in groups_of.values() for g in gs})
        works = list(Work.objects.filter(organisation=organisation))
        pages = {None: diversity_summary(organisation=organisation)} | {
            str(work.group_id): diversity_summary(organisation=organisation, work=work)
            for work in works
        }
        for category in DiversityCategory.objects.filter(organisation=organisation):
            options = [str(pk) for pk in category.options.values_list("pk", flat=True)]
            options.append(PREFER_NOT_TO_SAY)
            people = [
                (
                    PREFER_NOT_TO_SAY if option_id is None else str(option_id),
                    frozenset(groups_of.get(membership_id, ())),
                )
                for membership_id, option_id in DiversityAnswer.objects.filter(
                    category=category, membership__diversity_consent__isnull=False
                ).values_list("membership_id", "option_id")
            ]
            # The pages show exactly the tables the audit publishes.
            whole = Counter(answer for answer, _ in people)
            parts = {g: Counter(a for a, gs in people if g in gs) for g in groups}
            labelled = [(key, key) for key in options]
            for part, summary in pages.items():
                [entry] = [e for e in summary if e["id"] == category.pk]
                figures = question_figures(labelled, whole, parts=parts, part=part)
                assert entry["total"] == figures.total
                assert [o["count"] for o in entry["options"]] == [o.count for o in figures.options]
            result.add(audit_question(options, people, groups))
    assert result.problems == []
    assert result.cells > 0
    print(
        f"\nsuppression audit, demo: {result.cells} hidden counts in shown tables, narrowest"
        f" interval {result.narrowest}; {result.withheld_cells} counts in withheld tables"
    )
