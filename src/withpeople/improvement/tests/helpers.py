"""Test data for improvement: a framework from the shipped file, cycles and anonymous answers.

Made here with the models directly, so these tests do not wait on the feedback app's own
loading of the default framework.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from withpeople.domain.mir.framework import load_framework_yaml
from withpeople.feedback.models import (
    Answer,
    Channel,
    Framework,
    Response,
    ReviewCycle,
    Statement,
    Story,
    Theme,
)
from withpeople.feedback.tallies import tallies_apply
from withpeople.frameworks import default_framework_path
from withpeople.testing.results import results_published_as_now


def load_default_framework(organisation) -> Framework:
    source = default_framework_path().read_text(encoding="utf-8")
    parsed = load_framework_yaml(source)
    framework, created = Framework.objects.get_or_create(
        organisation=organisation,
        key=parsed.key,
        defaults={"title": parsed.title, "source": source},
    )
    if not created:
        return framework
    for theme_position, theme in enumerate(parsed.themes):
        theme_row = Theme.objects.create(
            framework=framework, key=theme.key, title=theme.title, position=theme_position
        )
        Statement.objects.bulk_create(
            Statement(
                theme=theme_row,
                key=s.key,
                kind=s.kind.value,
                text=s.text,
                easy_read=s.easy_read or "",
                position=position,
            )
            for position, s in enumerate(theme.statements)
        )
    return framework


def make_cycle(organisation, slug: str = "spring-2026", **fields) -> ReviewCycle:
    framework = fields.pop("framework", None) or load_default_framework(organisation)
    defaults = {"name": slug.replace("-", " ").title(), "starts_on": date(2026, 3, 1)}
    return ReviewCycle.objects.create(
        organisation=organisation, framework=framework, slug=slug, **(defaults | fields)
    )


def statement(cycle: ReviewCycle, key: str) -> Statement:
    return Statement.objects.get(theme__framework=cycle.framework, key=key)


def add_responses(
    cycle: ReviewCycle,
    answers: dict[str, str],
    *,
    count: int = 1,
    perspective: str = "",
    story: tuple[str, str] | None = None,
) -> list[Response]:
    """`count` responses that each give `answers` ({statement key: answer}), all published."""
    statements = {s.key: s for s in Statement.objects.filter(theme__framework=cycle.framework)}
    made = []
    for _ in range(count):
        response = Response.objects.create(
            cycle=cycle, perspective=perspective, channel=Channel.ONLINE
        )
        Answer.objects.bulk_create(
            Answer(response=response, statement=statements[key], answer=answer)
            for key, answer in answers.items()
        )
        # Results read the counts kept as answers are saved, so they are kept here too.
        tallies_apply(
            cycle_id=cycle.pk,
            answers=Counter(
                (statements[key].pk, perspective, answer) for key, answer in answers.items()
            ),
            responses={perspective: 1},
        )
        if story is not None:
            theme_key, text = story
            Story.objects.create(
                response=response,
                theme=Theme.objects.get(framework=cycle.framework, key=theme_key),
                text=text,
            )
        made.append(response)
    # Pages show results only from published steps; set up the cycle as if these had come in
    # before its first step.
    results_published_as_now(cycle)
    return made


def i_statement_keys(cycle: ReviewCycle, theme_key: str) -> Iterable[str]:
    return Statement.objects.filter(
        theme__framework=cycle.framework, theme__key=theme_key, kind="I"
    ).values_list("key", flat=True)
