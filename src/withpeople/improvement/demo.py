"""Demo data: self-assessment ratings, an action plan and a published You said, we did.

Runs after the feedback step (order 40), which makes Example Council's review cycles
"autumn-2025" (closed) and "spring-2026" (open). Without them there is nothing to add. Running it
again replaces its own data, so the demo command can run twice on one database.
"""

from __future__ import annotations

from datetime import date

from withpeople.core.demo import register_demo_step
from withpeople.feedback.models import ReviewCycle, Statement, StatementKind
from withpeople.improvement.models import Action, ActionStatus, Publication, Rating
from withpeople.improvement.results import cycle_stories
from withpeople.organisations.models import Membership

# (person, levels for the first We statements in framework order); the partner sees the
# organisation less kindly than the staff do on some of them, so the page has differences.
RATINGS = {
    "admin": ["fully", "mostly", "mostly", "started", "mostly", "fully"],
    "staff": ["mostly", "mostly", "started", "started", "mostly", "mostly"],
    "partner": ["not_yet", "mostly", "started", "not_yet", "started", "mostly"],
}
EVIDENCE = {
    ("staff", 0): "Assessment forms now open with 'what matters to you'.",
    ("partner", 0): "In my last review nobody asked what matters to me.",
    ("partner", 3): "We only hear about changes after they have been decided.",
}

# (title, statement keys, status, explanation, published, due)
ACTIONS = [
    (
        "Start every review by asking what matters to the person",
        ["wi-i2", "wi-we1"],
        ActionStatus.CHANGE_MADE,
        "Review forms now start with 'what matters to you'. Partners helped rewrite them.",
        True,
        date(2025, 12, 1),
    ),
    (
        "Write our information leaflets with people who use them",
        ["ia-i1"],
        ActionStatus.IN_PROGRESS,
        "",
        True,
        date(2026, 3, 31),
    ),
    (
        "Open a weekend advice line",
        ["ia-i2"],
        ActionStatus.NOT_POSSIBLE,
        "We could not fund weekend staff this year. We have extended weekday hours to 8pm "
        "instead, and will look again in the next budget.",
        True,
        date(2026, 1, 31),
    ),
    (
        "Tell people what happened after they complained",
        ["wi-we3"],
        ActionStatus.PLANNED,
        "",
        False,
        date(2026, 6, 30),
    ),
]


@register_demo_step("improvement", order=50)
def add_demo_data(organisation, people) -> None:
    cycles = {
        cycle.slug: cycle
        for cycle in ReviewCycle.objects.for_organisation(organisation).filter(
            slug__in=["autumn-2025", "spring-2026"]
        )
    }
    if not cycles:
        return
    memberships = {
        key: Membership.objects.get(organisation=organisation, user=user)
        for key, user in people.items()
    }
    for cycle in cycles.values():
        Rating.objects.filter(cycle=cycle).delete()
        Action.objects.filter(cycle=cycle).delete()
        _ratings(cycle, memberships)
    autumn = cycles.get("autumn-2025")
    if autumn is not None:
        _actions(autumn, memberships)
        Publication.objects.get_or_create(
            cycle=autumn, defaults={"published_by": people.get("admin")}
        )
    spring = cycles.get("spring-2026")
    if spring is not None:
        _actions(spring, memberships, only=1)


def _ratings(cycle: ReviewCycle, memberships: dict[str, Membership]) -> None:
    we_statements = list(
        Statement.objects.filter(theme__framework=cycle.framework, kind=StatementKind.WE)
    )
    Rating.objects.bulk_create(
        Rating(
            cycle=cycle,
            statement=statement,
            membership=memberships[person],
            perspective=memberships[person].perspective,
            level=level,
            evidence=EVIDENCE.get((person, index), ""),
        )
        for person, levels in RATINGS.items()
        if person in memberships
        for index, (statement, level) in enumerate(zip(we_statements, levels, strict=False))
    )


def _actions(cycle: ReviewCycle, memberships: dict[str, Membership], only: int = 0) -> None:
    statements = {s.key: s for s in Statement.objects.filter(theme__framework=cycle.framework)}
    # Each action is linked to a different story about the theme of its first statement.
    unlinked = list(cycle_stories(cycle))
    owners = [m for key, m in memberships.items() if key in ("staff", "partner")]
    for index, (title, keys, status, explanation, published, due) in enumerate(
        ACTIONS[:only] if only else ACTIONS
    ):
        action = Action.objects.create(
            cycle=cycle,
            title=title,
            status=status,
            explanation=explanation,
            published=published,
            due_on=due,
        )
        action.statements.set([statements[key] for key in keys if key in statements])
        action.owners.set(owners if index % 2 == 0 else owners[:1])
        theme_id = statements[keys[0]].theme_id if keys[0] in statements else None
        story = next((s for s in unlinked if s.theme_id == theme_id), None)
        if story is not None:
            unlinked.remove(story)
            action.stories.set([story])
