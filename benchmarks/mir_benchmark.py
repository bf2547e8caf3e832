"""Time reading a large Making It Real responses CSV and working out its results.

Builds a random but valid responses file against the default framework (seeded, so every run
measures the same file): each response answers every I statement, from one perspective, with a
story now and then that has commas, quotes and line breaks in it. Then times
``read_responses_csv`` and ``compute_results`` over several repeats. Run with::

    uv run python benchmarks/mir_benchmark.py [--rows 100000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import time
from collections.abc import Callable
from typing import TypeVar

from withpeople.domain.ladder import PERSPECTIVE_SLUGS
from withpeople.domain.mir.framework import Framework, load_framework_yaml
from withpeople.domain.mir.responses_csv import COLUMNS, ParsedResponses, read_responses_csv
from withpeople.domain.mir.results import ANSWERS, compute_results
from withpeople.frameworks import default_framework_path

T = TypeVar("T")
START = dt.date(2025, 1, 1)
# Roughly how people answer: more good than bad, and some statements do not apply.
ANSWER_WEIGHTS = (25, 30, 20, 10, 7, 8)
STORIES = (
    "",
    "",
    "",
    "My support worker, Sam, always asks what I'd like to do.",
    'They said "we\'ll call you back" and never did.',
    "The day centre closed.\nNow I hardly go out.",
)


def build_csv(framework: Framework, rows: int, rng: random.Random) -> str:
    """A valid responses file of exactly `rows` answers."""
    statements = [s.key for s in framework.i_statements()]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    written = 0
    response = 0
    while written < rows:
        response += 1
        submitted_on = (START + dt.timedelta(days=rng.randrange(90))).isoformat()
        perspective = rng.choice((*PERSPECTIVE_SLUGS, ""))
        for statement in statements[: rows - written]:
            answer = rng.choices(ANSWERS, weights=ANSWER_WEIGHTS)[0]
            story = rng.choice(STORIES)
            writer.writerow((f"r{response}", submitted_on, perspective, statement, answer, story))
            written += 1
    return out.getvalue()


def best_of(repeats: int, run: Callable[[], T]) -> tuple[float, T]:
    """The fastest of several runs, in seconds (the least disturbed by anything else running)."""
    times = []
    for _ in range(max(repeats, 1)):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="answers in the file")
    parser.add_argument("--repeats", type=int, default=3, help="runs to take the best of")
    parser.add_argument("--seed", type=int, default=20250301)
    args = parser.parse_args()

    framework = load_framework_yaml(default_framework_path().read_text(encoding="utf-8"))
    keys = [s.key for s in framework.i_statements()]
    text = build_csv(framework, args.rows, random.Random(args.seed))
    print(f"file: {args.rows:,} rows, {len(text) / 1_000_000:.1f} MB")

    def read() -> ParsedResponses:
        return read_responses_csv(io.StringIO(text, newline=""), keys, today=dt.date.today())

    read_time, parsed = best_of(args.repeats, read)

    def compute() -> dict:
        return compute_results(
            framework, parsed.answers(), cycle="benchmark", responses=len(parsed)
        )

    compute_time, _ = best_of(args.repeats, compute)
    print(f"responses: {len(parsed):,}")
    _report("read_responses_csv", read_time, parsed.rows)
    _report("compute_results", compute_time, parsed.rows)
    print(f"total: {read_time + compute_time:.3f} s")


def _report(name: str, seconds: float, rows: int) -> None:
    print(f"{name}: {seconds:.3f} s, {rows / seconds:,.0f} rows per second")


if __name__ == "__main__":
    main()
