"""Demo data: two review cycles of feedback on the default framework for Example Council.

"Autumn 2025" is closed and "Spring 2026" is open. Their dates are set from the day the demo is
made, so the open cycle has not ended (`withpeople tick` closes a cycle once its end date has
passed) and the closed one ended months ago. Answers are random but seeded, so every demo looks
the same, and most statements do a little better in spring, so change over time shows.
Everything is written with bulk_create: the demo runs before every browser test.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from withpeople.core.demo import register_demo_step
from withpeople.feedback.models import (
    Answer,
    Channel,
    CycleStatus,
    Response,
    ReviewCycle,
    Statement,
    StatementKind,
    Story,
    Theme,
)
from withpeople.feedback.services import default_framework
from withpeople.feedback.steps import results_step_publish
from withpeople.feedback.tallies import tallies_rebuild

#: Each cycle's start and end, in days from the day the demo is made.
AUTUMN = (-270, -180)
SPRING = (-90, 60)
CYCLES = [
    # slug, name, (starts, ends), status, responses, how much better than the baseline
    ("autumn-2025", "Autumn 2025", AUTUMN, CycleStatus.CLOSED, 200, 0.0),
    ("spring-2026", "Spring 2026", SPRING, CycleStatus.OPEN, 240, 0.08),
]
PERSPECTIVES = ["lived_experience"] * 6 + ["carer"] * 3 + ["frontline_staff", "", ""]
CHANNELS = [Channel.ONLINE] * 7 + [Channel.EASY_READ, Channel.PAPER, Channel.PHONE]
# Each text is told at most once in a cycle: real people do not all say the same words.
STORIES = {
    "wellbeing-and-independence": [
        "Since I moved to the new flat I can go to the allotment again on my own.",
        "My carers come at different times every day, so I can't plan anything.",
        "I chose my own day service this year, and I look forward to going.",
        "Nobody asked me what I wanted. They asked my mum.",
    ],
    "information-and-advice": [
        "The easy-read leaflet about charges finally made sense to me.",
        "I rang three numbers before anyone could tell me about respite.",
        "The website told me what my personal budget could pay for.",
        "The letter about my assessment was full of words I did not know.",
    ],
    "active-and-supportive-communities": [
        "The Tuesday lunch club is the best part of my week.",
        "There is nothing near me in the evenings that I can get to.",
        "My support worker helped me join the walking group. I have made friends there.",
        "The bus stopped coming to our village, so I stay in most days.",
    ],
    "flexible-and-integrated-care-and-support": [
        "My social worker and the district nurse talk to each other now. It shows.",
        "I had to tell my story again to every new person.",
        "I moved my support hours to the weekend when I started my job. That was easy.",
        "My direct payment took four months to sort out.",
    ],
    "when-things-need-to-change": [
        "When I went into hospital, my support was there for me when I came home.",
        "My review was cancelled twice and nobody told me why.",
        "When my dad got worse, someone came out the same week.",
        "I complained about my care and never heard back.",
    ],
    "workforce": [
        "My personal assistant knows what matters to me and listens.",
        "Staff are kind but always in a rush.",
        "The new staff had training from people like me. You can tell.",
        "I never know who is coming. It is a different face every week.",
    ],
}
# How many of a theme's texts a cycle uses, at least; and how likely a story is to be chosen for
# You said, we did, on top of the one chosen for each theme.
LEAST_STORIES_PER_THEME = 2
ALSO_CHOSEN = 0.2


@register_demo_step("feedback", order=40)
def make_demo_feedback(organisation, people) -> None:
    framework = default_framework()
    ReviewCycle.objects.for_organisation(organisation).filter(
        slug__in=[c[0] for c in CYCLES]
    ).delete()
    statements = list(
        Statement.objects.filter(theme__framework=framework, kind=StatementKind.I).order_by(
            "theme__position", "position"
        )
    )
    themes = {t.pk: t for t in Theme.objects.filter(framework=framework)}
    rng = random.Random(2026)  # noqa: S311 - made-up demo answers, not secrets
    # How likely a good answer is for each statement, before any improvement.
    baseline = {s.pk: rng.uniform(0.35, 0.7) for s in statements}
    today = timezone.localdate()
    for slug, name, (start_day, end_day), status, count, better in CYCLES:
        starts = today + dt.timedelta(days=start_day)
        ends = today + dt.timedelta(days=end_day)
        cycle = ReviewCycle.objects.create(
            organisation=organisation,
            framework=framework,
            slug=slug,
            name=name,
            starts_on=starts,
            ends_on=ends,
            status=status,
        )
        days = (min(ends, today) - starts).days  # nobody answered in the future
        responses = Response.objects.bulk_create(
            Response(
                cycle=cycle,
                submitted_on=starts + dt.timedelta(days=rng.randrange(days)),
                perspective=rng.choice(PERSPECTIVES),
                channel=(channel := rng.choice(CHANNELS)),
                entered_by=people["staff"] if channel in (Channel.PAPER, Channel.PHONE) else None,
            )
            for _ in range(count)
        )
        answers = []
        for response in responses:
            for statement in statements:
                if rng.random() < 0.35:
                    continue  # left out
                answers.append(
                    Answer(
                        response_id=response.pk,
                        statement_id=statement.pk,
                        answer=_answer(rng, baseline[statement.pk] + better * rng.uniform(-0.5, 2)),
                    )
                )
        stories = _stories(rng, responses, themes.values())
        Answer.objects.bulk_create(answers, batch_size=5_000)
        Story.objects.bulk_create(stories)
        tallies_rebuild(cycle_ids=[cycle.pk])
        results_step_publish(cycle)


def _stories(rng: random.Random, responses: list[Response], themes) -> list[Story]:
    """Some of each theme's texts, each told once by a different person, and a few chosen."""
    told = []
    for theme in sorted(themes, key=lambda t: t.position):
        texts = STORIES.get(theme.key, [])
        how_many = rng.randint(min(LEAST_STORIES_PER_THEME, len(texts)), len(texts))
        for index, text in enumerate(rng.sample(texts, how_many)):
            # The first of each theme is chosen, so You said, we did has something on every theme.
            told.append((theme, text, index == 0 or rng.random() < ALSO_CHOSEN))
    return [
        Story(
            response_id=response.pk,
            cycle_id=response.cycle_id,
            theme_id=theme.pk,
            text=text,
            chosen_for_publication=chosen,
        )
        for response, (theme, text, chosen) in zip(
            rng.sample(responses, len(told)), told, strict=True
        )
    ]


def _answer(rng: random.Random, good: float) -> str:
    if rng.random() < 0.07:
        return "not_applicable"
    if rng.random() < good:
        return "always" if rng.random() < 0.45 else "mostly"
    return rng.choices(["sometimes", "rarely", "never"], weights=[5, 3, 2])[0]
