"""Time reading and assessing a large work record.

Builds a random but valid ``withpeople.work/1`` record (seeded, so every run measures the same
record), round-trips it through JSON as an import would, then times ``parse_work_record`` plus
``assess`` over several repeats. Run with::

    uv run python benchmarks/assess_benchmark.py [--activities 1000] [--decisions 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
from typing import Any

from withpeople.domain.assessment import assess
from withpeople.domain.ladder import PERSPECTIVE_SLUGS, RUNG_SLUGS
from withpeople.domain.work_record import DECIDERS, PARTNER_PARTS, parse_work_record

ASPECTS = ("understanding", "designing", "deciding", "delivering", "reviewing")
KINDS = ("workshop", "meeting", "survey", "event", "working group", "delivery task")
START = dt.date(2025, 1, 1)


def build_record(
    rng: random.Random, *, activities: int, decisions: int, people: int
) -> dict[str, Any]:
    """A valid record with the given numbers of activities, decisions and people."""
    refs = [f"p{number}" for number in range(1, people + 1)]
    return {
        "format": "withpeople.work/1",
        "title": "Benchmark: a large piece of work",
        "summary": "Random but valid, for timing.",
        "level": "service_design",
        "aspects": [
            {"key": key, "name": key.title(), "intended_rung": "co-production", "reason": None}
            for key in ASPECTS
        ],
        "people": [
            {"ref": ref, "perspective": rng.choice(PERSPECTIVE_SLUGS), "role": "member"}
            for ref in refs
        ],
        "activities": [_activity(rng, refs) for _ in range(activities)],
        "decisions": [_decision(rng) for _ in range(decisions)],
        "checkins": [
            {
                "aspect": rng.choice(ASPECTS),
                "perspective": rng.choice(PERSPECTIVE_SLUGS),
                "rung": rng.choice(RUNG_SLUGS),
            }
            for _ in range(people)
        ],
    }


def _day(rng: random.Random) -> dt.date:
    return START + dt.timedelta(days=rng.randrange(365))


def _activity(rng: random.Random, refs: list[str]) -> dict[str, Any]:
    return {
        "aspect": rng.choice(ASPECTS),
        "date": _day(rng).isoformat(),
        "kind": rng.choice(KINDS),
        "participants": rng.sample(refs, rng.randint(1, 12)),
        **{part: rng.random() < 0.3 for part in PARTNER_PARTS},
    }


def _decision(rng: random.Random) -> dict[str, Any]:
    date = _day(rng)
    feedback = date + dt.timedelta(days=rng.randrange(30)) if rng.random() < 0.7 else None
    return {
        "aspect": rng.choice(ASPECTS),
        "date": date.isoformat(),
        "summary": "A decision about the service.",
        "decided_by": rng.choice(tuple(DECIDERS)),
        "partner_input_changed_it": rng.random() < 0.5,
        "change": "",
        "feedback_given_on": None if feedback is None else feedback.isoformat(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--decisions", type=int, default=1000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    record = build_record(
        rng, activities=args.activities, decisions=args.decisions, people=args.people
    )
    text = json.dumps(record)
    data = json.loads(text)

    timings = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        assessment = assess(parse_work_record(data))
        timings.append((time.perf_counter() - started) * 1000)

    print(
        f"record: {args.activities} activities, {args.decisions} decisions, "
        f"{args.people} people, {len(ASPECTS)} aspects, {len(text) / 1024:.0f} KiB of JSON"
    )
    print(
        f"parse_work_record + assess over {args.repeats} repeats: "
        f"median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms"
    )
    evidenced = {aspect["key"]: aspect["evidenced"] for aspect in assessment["aspects"]}
    print(f"evidenced rungs: {evidenced}")


if __name__ == "__main__":
    main()
