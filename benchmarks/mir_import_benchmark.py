"""Time importing a large Making It Real responses CSV into a fresh review cycle, and its results.

Generates a seeded, valid CSV of `--rows` answers against the default framework, then times:
checking it (`responses_check`), saving it (`responses_import`, bulk_create in batches) and
working out the results (`cycle_results`, one aggregate query). Run with::

    DEBUG=1 uv run python benchmarks/mir_import_benchmark.py --rows 100000
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/wp_feedback_bench \\
        uv run python benchmarks/mir_import_benchmark.py --rows 100000

Without DATABASE_URL it uses a throwaway SQLite database in a temporary directory, never the
development database. With DATABASE_URL the database is created if missing and migrated; the
benchmark's organisation is deleted at the end.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import tempfile
import time

ANSWER_WEIGHTS = (25, 30, 20, 10, 7, 8)
STORIES = ("", "", "", "", "My support worker always asks what I'd like to do.", "It closed.")


def _prepare_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        os.environ["WITHPEOPLE_DATA_DIR"] = tempfile.mkdtemp(prefix="wp-bench-")
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


def build_csv(statements: list[str], rows: int, rng: random.Random) -> bytes:
    from withpeople.domain.ladder import PERSPECTIVE_SLUGS
    from withpeople.domain.mir.responses_csv import COLUMNS
    from withpeople.domain.mir.results import ANSWERS

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    written = response = 0
    start = dt.date(2026, 3, 1)
    while written < rows:
        response += 1
        submitted_on = (start + dt.timedelta(days=rng.randrange(90))).isoformat()
        perspective = rng.choice((*PERSPECTIVE_SLUGS, ""))
        for statement in statements[: rows - written]:
            answer = rng.choices(ANSWERS, weights=ANSWER_WEIGHTS)[0]
            writer.writerow(
                (f"r{response}", submitted_on, perspective, statement, answer, rng.choice(STORIES))
            )
            written += 1
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    _prepare_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withpeople.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    # DEBUG keeps every query's SQL in memory; a benchmark of 100,000 rows should not.
    settings.DEBUG = False

    from withpeople.feedback import services
    from withpeople.feedback.selectors import cycle_results
    from withpeople.organisations.models import Organisation

    Organisation.objects.filter(slug="benchmark").delete()
    organisation = Organisation.objects.create(slug="benchmark", name="Benchmark")
    cycle = services.cycle_create(
        organisation=organisation,
        slug="bench",
        name="Benchmark",
        framework=services.default_framework(),
    )
    i_keys, _we = services.cycle_statement_keys(cycle)
    data = build_csv(i_keys, args.rows, random.Random(7))
    print(f"database: {connection.vendor}; file: {args.rows:,} rows, {len(data) / 1e6:.1f} MB")

    started = time.perf_counter()
    parsed = services.responses_check(cycle=cycle, data=data)
    checked = time.perf_counter()
    responses, answers = services.responses_import(cycle=cycle, parsed=parsed)
    imported = time.perf_counter()
    results = cycle_results(cycle)
    computed = time.perf_counter()

    if results["responses"] != responses:
        raise SystemExit("the results do not count the imported responses")
    print(f"check (validate the CSV):    {checked - started:6.2f} s")
    print(f"import ({responses:,} responses, {answers:,} answers): {imported - checked:6.2f} s")
    print(f"validation + import:         {imported - started:6.2f} s")
    print(f"cycle_results:               {computed - imported:6.2f} s")
    organisation.delete()


if __name__ == "__main__":
    main()
