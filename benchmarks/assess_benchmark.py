"""Time reading and assessing a large work record, and the whole `withpeople assess` command.

Builds a random but valid ``withpeople.work/1`` record (seeded, so every run measures the same
record), round-trips it through JSON as an import would, then times ``parse_work_record`` plus
``assess`` over several repeats. It then writes the record to a file and times the command
people run, ``withpeople assess FILE``, from start to finish in a new process each time (Python
starting, imports, reading, assessing and printing), and gives the median of several runs.
Run with::

    uv run python benchmarks/assess_benchmark.py [--activities 1000] [--decisions 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
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
    aspect = rng.choice(ASPECTS)
    decided_by = rng.choice(tuple(DECIDERS))
    changed = rng.random() < 0.5
    return {
        "aspect": aspect,
        "date": date.isoformat(),
        "summary": "A decision about the service.",
        "decided_by": decided_by,
        "partner_input_changed_it": changed,
        # Evidence says how partners changed a decision (withpeople.domain.evidence_checks).
        "change": "Partners' input changed the plan." if changed else "",
        "feedback_given_on": None if feedback is None else feedback.isoformat(),
    }


def command() -> list[str]:
    """The installed `withpeople` command, or the same entry point through this Python."""
    installed = shutil.which("withpeople")
    return [installed] if installed else [sys.executable, "-m", "withpeople.cli"]


def time_command(text: str, runs: int) -> tuple[list[float], list[str]]:
    """Milliseconds for each run of `withpeople assess FILE`, start to finish, and the command."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "record.json"
        path.write_text(text, encoding="utf-8")
        argv = [*command(), "assess", str(path)]
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
            timings.append((time.perf_counter() - started) * 1000)
    return timings, argv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--decisions", type=int, default=1000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7, help="runs of the whole command")
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
    command_timings, argv = time_command(text, args.runs)
    shown = " ".join([Path(argv[0]).name, *argv[1:-1], "FILE"])
    print(
        f"the whole command, {shown}, over {args.runs} runs: "
        f"median {statistics.median(command_timings):.0f} ms, max {max(command_timings):.0f} ms"
    )
    evidenced = {aspect["key"]: aspect["evidenced"] for aspect in assessment["aspects"]}
    print(f"evidenced rungs: {evidenced}")


if __name__ == "__main__":
    main()
