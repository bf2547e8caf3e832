"""Peak memory of the web process while it streams a review cycle's answers as CSV.

For each size (100,000 and 1,000,000 answers by default) it fills a fresh review cycle with that
many feedback answers by bulk insert (responses with ``bulk_create``, answers with COPY on
PostgreSQL or ``executemany`` on SQLite, as the responses import does), then starts a new Python
process that signs in as an admin and downloads ``/download/answers.csv`` through the real view with
Django's test client, reading the streamed body chunk by chunk and counting its lines. That
process prints its peak resident memory (VmHWM from /proc/self/status) before and after the
download; a flat export leaves the two nearly equal whatever the size. Run with::

    uv run python benchmarks/export_memory.py
    uv run python benchmarks/export_memory.py --rows 100000 --rows 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/wp_exports_bench

Without --database-url it uses a throwaway SQLite database in a temporary directory, never the
development database. With it the database is created if missing and migrated; the benchmark's
organisation is deleted at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time

ORG_SLUG = "export-benchmark"
STAFF_EMAIL = "export-benchmark@example.org"
ANSWER_WEIGHTS = (25, 30, 20, 10, 7, 8)
RESPONSES_PER_BATCH = 2000


def peak_rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def _prepare_database(url: str | None) -> None:
    os.environ.setdefault("DEBUG", "1")
    if not url:
        os.environ.setdefault("WITHPEOPLE_DATA_DIR", tempfile.mkdtemp(prefix="wp-export-bench-"))
        return
    os.environ["DATABASE_URL"] = url
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


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withpeople.settings")
    import django

    django.setup()
    from django.conf import settings

    # DEBUG keeps every query's SQL in memory; a benchmark of a million rows should not.
    settings.DEBUG = False


def fill(rows: int, cycle_slug: str) -> None:
    """A cycle with `rows` answers, spread over responses of every statement of the framework."""
    from django.db import connection, transaction

    from withpeople.accounts.models import User
    from withpeople.domain.ladder import PERSPECTIVE_SLUGS
    from withpeople.domain.mir.results import ANSWERS
    from withpeople.feedback import services
    from withpeople.feedback.models import Channel, Response, Statement, StatementKind
    from withpeople.organisations.models import (
        Membership,
        Organisation,
        Role,
        SecondFactorRule,
    )

    # The benchmark signs in with force_login, so no second factor is asked of its admin.
    organisation, _created = Organisation.objects.get_or_create(
        slug=ORG_SLUG,
        defaults={
            "name": "Export benchmark",
            "second_factor_required_for": SecondFactorRule.NOBODY,
        },
    )
    user = User.objects.filter(email=STAFF_EMAIL).first() or User.objects.create_user(
        STAFF_EMAIL, name="Export benchmark"
    )
    Membership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": Role.ADMIN}
    )
    cycle = services.cycle_create(
        organisation=organisation,
        slug=cycle_slug,
        name=cycle_slug,
        framework=services.default_framework(),
    )
    statements = list(
        Statement.objects.filter(theme__framework=cycle.framework, kind=StatementKind.I)
        .order_by("position", "id")
        .values_list("id", flat=True)
    )
    rng = random.Random(7)
    insert_sql = services._answer_insert_sql()
    written = 0
    start = dt.date(2026, 3, 1)
    while written < rows:
        needed = -(-(rows - written) // len(statements))  # responses still needed, rounded up
        with transaction.atomic():
            batch = Response.objects.bulk_create(
                Response(
                    cycle=cycle,
                    submitted_on=start + dt.timedelta(days=rng.randrange(90)),
                    perspective=rng.choice((*PERSPECTIVE_SLUGS, "")),
                    channel=Channel.IMPORTED,
                )
                for _ in range(min(RESPONSES_PER_BATCH, needed))
            )
            answers = []
            for response in batch:
                for statement_id in statements[: rows - written - len(answers)]:
                    answer = rng.choices(ANSWERS, weights=ANSWER_WEIGHTS)[0]
                    answers.append((response.pk, statement_id, answer))
            services._insert_answers(answers, insert_sql)
            written += len(answers)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE feedback_answer")


def measure(cycle_slug: str, *, buffered: bool = False) -> dict:
    """In a fresh process: download the answers CSV through the real view, chunk by chunk.

    With `buffered`, the chunks are kept and joined, as a view that built the whole file
    would: a check that the measurement sees memory a whole file takes.
    """
    before_setup = peak_rss_kib()
    _setup_django()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from withpeople.accounts.models import User

    setup_test_environment()  # lets the test client's "testserver" host through
    client = Client()
    client.force_login(User.objects.get(email=STAFF_EMAIL))
    url = f"/o/{ORG_SLUG}/making-it-real/cycles/{cycle_slug}/download/answers.csv"
    client.get(f"/o/{ORG_SLUG}/making-it-real/")  # a first page: sessions, templates, caches
    before = peak_rss_kib()
    started = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200 or not response.streaming:
        raise SystemExit(f"the download answered {response.status_code}, not a streamed 200")
    lines = size = 0
    kept = []
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
        if buffered:
            kept.append(chunk)
    if buffered:
        whole = b"".join(kept)
        size = len(whole)
    elapsed = time.perf_counter() - started
    return {
        "python_start_kib": before_setup,
        "before_download_kib": before,
        "after_download_kib": peak_rss_kib(),
        "lines": lines,
        "megabytes": size / 1e6,
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="answers; repeatable")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--buffered",
        action="store_true",
        help="keep the whole file in memory, as a non-streaming view would (for comparison)",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    _prepare_database(args.database_url)
    if args.measure:
        print(json.dumps(measure(args.measure, buffered=args.buffered)))
        return

    sizes = args.rows or [100_000, 1_000_000]
    _setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from withpeople.organisations.models import Organisation

    Organisation.objects.filter(slug=ORG_SLUG).delete()
    print(
        f"database: {connection.vendor}{'; whole file kept (--buffered)' if args.buffered else ''}"
    )
    print(
        f"{'answers':>10} {'fill s':>7} {'CSV MB':>7} {'export s':>8} "
        f"{'peak before MiB':>15} {'peak after MiB':>14} {'growth MiB':>10}"
    )
    try:
        for rows in sizes:
            slug = f"bench-{rows}"
            started = time.perf_counter()
            fill(rows, slug)
            filled = time.perf_counter() - started
            connection.close()
            # This script itself, with a slug it made: nothing comes from outside.
            child = subprocess.run(  # noqa: S603
                [sys.executable, __file__, "--measure", slug]
                + (["--buffered"] if args.buffered else []),
                env=os.environ.copy(),
                capture_output=True,
                text=True,
                check=False,
            )
            if child.returncode:
                raise SystemExit(child.stderr)
            result = json.loads(child.stdout.strip().splitlines()[-1])
            if result["lines"] != rows + 1:
                raise SystemExit(f"the CSV has {result['lines']} lines, not {rows + 1}")
            before = result["before_download_kib"] / 1024
            after = result["after_download_kib"] / 1024
            print(
                f"{rows:>10,} {filled:>7.1f} {result['megabytes']:>7.1f} "
                f"{result['seconds']:>8.1f} {before:>15.1f} {after:>14.1f} {after - before:>10.1f}"
            )
    finally:
        Organisation.objects.filter(slug=ORG_SLUG).delete()


if __name__ == "__main__":
    main()
