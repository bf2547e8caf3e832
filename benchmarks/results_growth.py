"""Time the results page of cycles of 10,000, 100,000 and 1,000,000 answers: it should not grow.

Fills an EMPTY database (DATABASE_URL; run `withpeople collectstatic` first, as DEBUG is off)
with one organisation whose three review cycles have those many answers (as
`withpeople scale-data` makes them, kept counts included), then opens each cycle's results page
with Django's test client in this process (DEBUG off) and prints the median time of several
requests and the queries one request runs. Run with::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wp_scalefeedback \\
        uv run python benchmarks/results_growth.py [--sizes 10000 100000 1000000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=7)
    arguments = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to an empty, migrated database.")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="withpeople.settings",
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from withpeople.feedback.models import ReviewCycle
    from withpeople.organisations.models import Membership, Organisation, Role
    from withpeople.scale.generate import Filler, OrgPlan, Size

    filled = Organisation.objects.filter(slug="growth").exists()
    if Organisation.objects.exists() and not filled:
        sys.exit("The database has organisations already: give an empty one.")

    class Growth(Filler):
        def _plans(self) -> list[OrgPlan]:
            return [
                OrgPlan(
                    slug="growth",
                    name="Growth Council",
                    works=1,
                    members=4,
                    cycle_answers=list(arguments.sizes),
                )
            ]

    if not filled:  # a second run measures the cycles the first one made
        Growth(Size(1, 1, 4, sum(arguments.sizes)), out=print).run()
    organisation = Organisation.objects.get(slug="growth")
    admin = Membership.objects.get(organisation=organisation, role=Role.ADMIN)
    client = Client()
    client.force_login(admin.user)
    print(f"{'answers in the cycle':>22}{'median ms':>11}{'queries':>9}{'bytes':>10}")
    cycles = ReviewCycle.objects.for_organisation(organisation).order_by("slug")
    for cycle, size in zip(cycles, arguments.sizes, strict=True):
        url = f"/o/growth/cycles/{cycle.slug}/results/"
        if client.get(url).status_code != 200:
            sys.exit(f"{url} did not answer 200")
        times = []
        for _ in range(arguments.repeats):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        print(
            f"{size:>22,}{statistics.median(times) * 1000:>11.0f}"
            f"{len(captured.captured_queries):>9}{len(response.content):>10,}"
        )


if __name__ == "__main__":
    main()
