"""Time the evidence pack of the largest demo piece of work and of the whole demo organisation.

Builds the demo in a throwaway SQLite database, then makes each pack several times, as a web
page (through Django's test client, signed in as the demo admin, so the page's access checks
and template run) and as a PDF (WeasyPrint, PDF/UA-1), and prints the median time of each, the
CPU time it used, and the size of what was made. The organisation's pack covers every piece of
work in the demo (the period runs from the earliest start to today). Run with::

    DEBUG=1 uv run python benchmarks/evidence_pack.py [--repeats 5]

The figures decide whether the organisation's pack needs the task queue: a page that takes
more than a couple of seconds would be made by a background task with a progress page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def _timed(make, repeats: int) -> tuple[float, float, int]:
    """Median wall-clock and CPU seconds of `make()`, and the size of what it made."""
    walls, cpus, size = [], [], 0
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(make())
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    os.environ["WITHPEOPLE_DATA_DIR"] = tempfile.mkdtemp(prefix="wp-pack-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withpeople.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from withpeople.accounts.models import User
    from withpeople.organisations.models import Organisation
    from withpeople.packs.pack import organisation_pack, work_pack
    from withpeople.packs.render import pack_pdf
    from withpeople.works.models import Work

    call_command("migrate", verbosity=0)
    call_command("demo", "--force", "--password", "demo-pass-123", verbosity=0)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    organisation = Organisation.objects.get(slug="example-council")
    works = Work.objects.for_organisation(organisation)
    largest = max(works, key=lambda w: w.activities.count() + w.decisions.count())
    start = min(w.starts_on or timezone.localdate(w.created_at) for w in works)
    end = timezone.localdate()
    client = Client()
    client.force_login(User.objects.get(email="admin@example.org"))
    slug = organisation.slug
    period = (
        f"?from-day={start.day}&from-month={start.month}&from-year={start.year}"
        f"&to-day={end.day}&to-month={end.month}&to-year={end.year}"
    )

    def page(url: str):
        def get() -> bytes:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} gave {response.status_code}")
            return response.content

        return get

    # Fonts and templates load on first use: one untimed run of each warms them.
    pack_pdf(work_pack(largest))
    cases = [
        (
            f"Largest piece of work ({largest.activities.count()} activities, "
            f"{largest.decisions.count()} decisions): web page",
            page(reverse("packs:work", kwargs={"org_slug": slug, "pk": largest.pk})),
        ),
        ("Largest piece of work: PDF", lambda: pack_pdf(work_pack(largest))),
        (
            f"Whole demo organisation ({works.count()} pieces of work, {start} to {end}): web page",
            page(reverse("packs:organisation", kwargs={"org_slug": slug}) + period),
        ),
        (
            "Whole demo organisation: PDF",
            lambda: pack_pdf(organisation_pack(organisation, works, start, end)),
        ),
    ]
    print(f"Evidence packs, median of {args.repeats} runs (Python {sys.version.split()[0]})")
    for name, make in cases:
        wall, cpu, size = _timed(make, args.repeats)
        print(f"  {name}:\n    {wall:.2f} s ({cpu:.2f} s of CPU), {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
