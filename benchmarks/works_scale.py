"""Time the pages of pieces of work for one organisation the size of a county council.

Makes one organisation with 200 members and 2,000 pieces of work (by default), each with its
group, five aspects, activities with the people who took part, decisions and, for a third of
them, a closed check-in round, all with bulk inserts; stores every assessment; then times the
overview, the list of pieces of work (plain, filtered by a flag, a later page) and a piece of
work's page through Django's test client, printing the median of several runs, the number of
queries and the size of each page. Run with::

    DEBUG=1 uv run python benchmarks/works_scale.py
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/wp_scaleworks_bench \\
        uv run python benchmarks/works_scale.py

Without DATABASE_URL it uses a throwaway SQLite database in a temporary directory. With
DATABASE_URL the database is created if missing and migrated, and the script refuses to run
if it holds any organisation already: it never writes into a database in use. Drop the
database afterwards (``dropdb wp_scaleworks_bench``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import random
import statistics
import sys
import tempfile
import time

ASPECTS = (
    ("understanding", "Understanding what matters"),
    ("designing", "Designing options"),
    ("deciding", "Deciding"),
    ("delivering", "Delivering"),
    ("reviewing", "Reviewing"),
)
#: Django's mark for an account that cannot sign in with a password.
UNUSABLE = "!"
PARTS = (
    "explained_services",
    "informed_of_decisions",
    "views_sought",
    "partners_shaped_agenda",
    "partners_generated_options",
    "partners_delivered",
)


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


def build(works: int, members: int, rng: random.Random):
    """The organisation, filled with bulk inserts; returns it and a staff member's user."""
    from django.db import transaction

    from withpeople.accounts.models import User
    from withpeople.domain.ladder import RUNG_SLUGS, Perspective
    from withpeople.groups.models import Group, GroupKind, GroupMember
    from withpeople.organisations.models import Membership, Organisation, Role
    from withpeople.works.assessments import assessments_refresh
    from withpeople.works.models import (
        Activity,
        Aspect,
        CheckinRound,
        CheckinTally,
        Decision,
        Participation,
        Work,
    )

    perspectives = [p.value for p in Perspective]
    deciders = ["organisation_alone", "organisation_after_views", "jointly", "partners"]
    today = dt.date(2026, 11, 1)
    with transaction.atomic():
        organisation = Organisation.objects.create(slug="county", name="County Council")
        users = User.objects.bulk_create(
            User(email=f"person{n}@county.example", name=f"Person {n}", password=UNUSABLE)
            for n in range(members)
        )
        memberships = Membership.objects.bulk_create(
            Membership(
                organisation=organisation,
                user=user,
                role=Role.ADMIN if n == 0 else rng.choice([Role.STAFF, Role.PARTNER]),
                perspective=rng.choice(perspectives),
            )
            for n, user in enumerate(users)
        )
        groups = Group.objects.bulk_create(
            Group(organisation=organisation, name=f"Piece of work {n}", kind=GroupKind.WORK)
            for n in range(works)
        )
        now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        work_rows = Work.objects.bulk_create(
            Work(
                organisation=organisation,
                group=group,
                title=f"Piece of work {n}: {rng.choice(['Carers', 'Day services', 'Housing'])}",
                summary="What the piece of work is for.",
                level=rng.choice(["strategic", "service_design", "individual"]),
                status=rng.choice(["planning", "in_progress", "finished", "paused"]),
                created_at=now - dt.timedelta(hours=n),
            )
            for n, group in enumerate(groups)
        )
        aspects = Aspect.objects.bulk_create(
            Aspect(work=work, key=key, name=name, position=position)
            for work in work_rows
            for position, (key, name) in enumerate(ASPECTS)
        )
        aspects_of: dict[int, list] = {}
        for aspect in aspects:
            aspects_of.setdefault(aspect.work_id, []).append(aspect)
        group_members = GroupMember.objects.bulk_create(
            GroupMember(
                group=group,
                membership=account if n % 2 else None,
                name=f"Member {n}",
                perspective=rng.choice(perspectives),
                role="chair" if n == 0 else "member",
                joined_on=today - dt.timedelta(days=200),
            )
            for group in groups
            for n, account in enumerate(rng.sample(memberships, rng.randint(5, 12)))
        )
        members_of: dict[int, list] = {}
        for member in group_members:
            members_of.setdefault(member.group_id, []).append(member)
        activities = Activity.objects.bulk_create(
            Activity(
                work=work,
                aspect=rng.choice(aspects_of[work.pk]),
                date=today - dt.timedelta(days=rng.randrange(300)),
                kind=rng.choice(["workshop", "meeting", "survey"]),
                title=f"Activity {n}",
                **{part: rng.random() < 0.4 for part in PARTS},
            )
            for work in work_rows
            for n in range(rng.randint(2, 10))
        )
        work_group = {work.pk: work.group_id for work in work_rows}
        Participation.objects.bulk_create(
            Participation(activity=activity, member=member)
            for activity in activities
            for member in rng.sample(
                members_of[work_group[activity.work_id]],
                min(4, len(members_of[work_group[activity.work_id]])),
            )
        )
        Decision.objects.bulk_create(
            Decision(
                work=work,
                aspect=rng.choice(aspects_of[work.pk]),
                date=today - dt.timedelta(days=rng.randrange(300)),
                summary="What was decided.",
                decided_by=rng.choice(deciders),
                **_changed(rng.random() < 0.3),
                feedback_given_on=today if rng.random() < 0.6 else None,
            )
            for work in work_rows
            for _ in range(rng.randint(0, 6))
        )
        checked = [work for work in work_rows if rng.random() < 0.33]
        rounds = CheckinRound.objects.bulk_create(
            CheckinRound(work=work, name="Autumn", opened_at=now, closed_at=now) for work in checked
        )
        CheckinTally.objects.bulk_create(
            CheckinTally(
                round=checkin_round,
                aspect=aspect,
                perspective=side,
                rung=rung,
                count=rng.choice([0, 0, 1, 2]),
            )
            for checkin_round in rounds
            for aspect in aspects_of[checkin_round.work_id]
            for side in ("lived_experience", "other_staff")
            for rung in RUNG_SLUGS
        )
        assessments_refresh(works=Work.objects.filter(organisation=organisation).order_by("pk"))
    print(
        f"made: {len(work_rows):,} pieces of work, {len(aspects):,} aspects, "
        f"{len(group_members):,} group members, {len(activities):,} activities, "
        f"{Decision.objects.count():,} decisions, {len(rounds):,} closed check-in rounds"
    )
    return organisation, users[0]


def timed(client, path: str, runs: int) -> tuple[float, int, int, int]:
    """Median seconds, queries, bytes and gzipped bytes of GET `path`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    response = None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
        queries = len(captured)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    size = len(response.content)
    return statistics.median(times), queries, size, len(gzip.compress(response.content))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=2000)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    _prepare_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withpeople.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    from withpeople.organisations.models import Organisation

    if Organisation.objects.exists():
        sys.exit(
            "The database already holds organisations. Give DATABASE_URL an empty database "
            "of its own (it is created if missing)."
        )
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]

    started = time.perf_counter()
    organisation, user = build(args.works, args.members, random.Random(11))
    print(
        f"database: {connection.vendor}; made and assessed in {time.perf_counter() - started:.1f} s"
    )

    from withpeople.works.models import Work

    client = Client()
    client.force_login(user)
    work = Work.objects.filter(organisation=organisation).order_by("pk")[args.works // 2]
    slug = organisation.slug
    pages = [
        ("overview", f"/o/{slug}/"),
        ("pieces of work, page 1", f"/o/{slug}/works/"),
        ("pieces of work, flag filter", f"/o/{slug}/works/?flag=behind_plan&sort=flags"),
        ("pieces of work, page 40", f"/o/{slug}/works/?page=40"),
        ("a piece of work", f"/o/{slug}/works/{work.pk}/"),
    ]
    print(f"{'page':32} {'median':>9} {'queries':>8} {'HTML':>10} {'gzipped':>9}")
    for name, path in pages:
        client.get(path)  # warm up: templates, translations
        seconds, queries, size, packed = timed(client, path, args.runs)
        sizes = f"{size / 1e3:8.1f}kB {packed / 1e3:7.1f}kB"
        print(f"{name:32} {seconds * 1000:7.1f}ms {queries:8d} {sizes}")

    started = time.perf_counter()
    call_command("assessments", "check", stdout=open(os.devnull, "w"))  # noqa: SIM115
    elapsed = time.perf_counter() - started
    print(f"withpeople assessments check ({args.works:,} works): {elapsed:.1f} s")


if __name__ == "__main__":
    main()


def _changed(changed: bool) -> dict:
    """Whether partners' input changed a decision and, as the evidence checks ask, how."""
    return {
        "partner_input_changed_it": changed,
        "change": "Partners' input changed the plan." if changed else "",
    }
