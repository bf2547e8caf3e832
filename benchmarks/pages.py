"""Requests a second and latency of the key pages under load, on the database in DATABASE_URL.

Starts gunicorn (2 workers, DEBUG off) on 127.0.0.1, signs in as the admin of the largest
organisation (a session made with Django's session engine, as signing in would), then for each
page runs 16 concurrent clients for a fixed time and prints requests a second, the ratio to
``/health/`` measured in the same run, p50/p95/p99 and the number of database queries one
request runs. Queries are counted in this process with Django's test client and
``CaptureQueriesContext``, on the same database and settings. Fill the database first with
``withpeople scale-data``. Run with::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wp_national \\
        uv run python benchmarks/pages.py [--seconds 10] [--clients 16] [--port 8701]

Each page is loaded for ``--seconds`` (10 by default), so a run of the 15 pages takes about 15
times that plus a minute to start and count queries: ``--seconds 30`` finishes in about 9
minutes. Run ``withpeople collectstatic --noinput`` first (DEBUG is off).

It talks to 127.0.0.1 only, stops by itself, and removes the session and API token it made.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Page:
    name: str
    path: str
    auth: str  # "session", "token" or "none"


@dataclass
class Measured:
    page: Page
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    queries: int | None = None

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def _environment(port: int) -> dict[str, str]:
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the database to measure (filled by withpeople scale-data).")
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="withpeople.settings",
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        FEEDBACK_RATE_LIMIT="1000000/h",
    )
    return env


def _setup(env: dict[str, str]):
    os.environ.update(env)
    import django

    django.setup()


def _pages_and_credentials():
    """The pages to measure, in the largest organisation, and a session and token for them."""
    from django.conf import settings
    from django.db.models import Count, Sum
    from django.test import Client

    from withpeople.accounts.services import api_token_create
    from withpeople.feedback.models import ReviewCycle
    from withpeople.improvement.models import Publication
    from withpeople.organisations.models import Membership, Organisation, Role
    from withpeople.works.models import Work

    organisation = (
        Organisation.objects.annotate(work_count=Count("works"))
        .order_by("-work_count", "pk")
        .first()
    )
    if organisation is None:
        sys.exit("The database has no organisations: run withpeople scale-data first.")
    admin = (
        Membership.objects.filter(organisation=organisation, role=Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    cycles = ReviewCycle.objects.for_organisation(organisation).annotate(
        answers=Sum("answer_tallies__n")
    )
    largest = cycles.order_by("-answers", "pk").first()
    published = (
        cycles.filter(pk__in=Publication.objects.values("cycle")).order_by("-answers").first()
    )
    open_cycle = cycles.filter(status="open").order_by("-answers").first() or largest
    work = (
        Work.objects.filter(organisation=organisation)
        .annotate(n=Count("activities"))
        .order_by("-n", "pk")
        .first()
    )
    o = f"/o/{organisation.slug}"
    pages = [
        Page("health", "/health/", "none"),
        Page("overview", f"{o}/", "session"),
        Page("pieces of work", f"{o}/works/", "session"),
        Page("a piece of work", f"{o}/works/{work.pk}/", "session"),
        Page("results (largest cycle)", f"{o}/cycles/{largest.slug}/results/", "session"),
        Page("you said, we did (public)", f"{o}/cycles/{published.slug}/you-said-we-did/", "none")
        if published
        else None,
        Page("public feedback form", f"/f/{open_cycle.public_code}/", "none"),
        Page("values dashboard", f"{o}/values/", "session"),
        Page("audit log", f"{o}/audit/", "session"),
        Page(
            "finance CSV",
            f"{o}/time-and-payments/finance-export/?start=2000-01-01&end=2100-12-31"
            "&file_format=csv",
            "session",
        ),
        Page(
            "results XLSX",
            f"{o}/cycles/{largest.slug}/download/results.xlsx",
            "session",
        ),
        Page(
            "API: work record",
            f"/api/v1/organisations/{organisation.slug}/works/{work.pk}",
            "token",
        ),
        Page(
            "API: assessment",
            f"/api/v1/organisations/{organisation.slug}/works/{work.pk}/assessment",
            "token",
        ),
        Page(
            "API: results",
            f"/api/v1/organisations/{organisation.slug}/cycles/{largest.slug}/results",
            "token",
        ),
    ]
    client = Client()
    client.force_login(admin.user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    token, raw = api_token_create(user=admin.user, name="pages benchmark")
    info = {
        "organisation": organisation,
        "largest": largest,
        "answers": largest.answers or 0,
        "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
        "token": raw,
        "token_row": token,
        "session_key": session,
    }
    return [p for p in pages if p is not None], info


def _headers(page: Page, info: dict) -> dict[str, str]:
    headers = {"Host": HOST, "Accept-Encoding": "identity"}
    if page.auth == "session":
        headers["Cookie"] = info["session_cookie"]
    elif page.auth == "token":
        headers["Authorization"] = f"Bearer {info['token']}"
    return headers


def _count_queries(page: Page, info: dict) -> int | None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    headers = {}
    if page.auth == "session":
        from django.conf import settings

        client.cookies[settings.SESSION_COOKIE_NAME] = info["session_key"]
    elif page.auth == "token":
        headers["Authorization"] = f"Bearer {info['token']}"
    client.get(page.path, headers=headers)  # first, to fill any per-process cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path, headers=headers)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    if response.status_code != 200:
        return None
    return len(captured.captured_queries)


def _load(page: Page, info: dict, *, port: int, clients: int, seconds: float) -> Measured:
    headers = _headers(page, info)
    deadline = time.monotonic() + seconds
    measured = Measured(page=page, seconds=seconds)
    lock = threading.Lock()

    def worker() -> None:
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        errors = 0
        connection = None
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(HOST, port, timeout=60)
                connection.request("GET", page.path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                errors += 1
                if connection is not None:
                    connection.close()
                connection = None
                continue
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1
        if connection is not None:
            connection.close()
        with lock:
            measured.latencies.extend(latencies)
            measured.errors += errors
            for status, n in statuses.items():
                measured.statuses[status] = measured.statuses.get(status, 0) + n

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return measured


def _start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - a fixed command line
        [
            sys.executable,
            "-m",
            "gunicorn",
            "withpeople.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/health/", headers={"Host": HOST})
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    _stop(server)
    sys.exit("gunicorn did not answer /health/ within 60 seconds")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument("--only", help="measure only pages whose name contains this")
    arguments = parser.parse_args()
    env = _environment(arguments.port)
    _setup(env)
    pages, info = _pages_and_credentials()
    if arguments.only:
        pages = [p for p in pages if p.name == "health" or arguments.only in p.name]
    print(
        f"{info['organisation'].name}: largest cycle {info['largest'].slug} with "
        f"{info['answers']:,} answers; {arguments.clients} clients, {arguments.seconds:g} s a "
        f"page, gunicorn with {arguments.workers} workers, DEBUG off",
        flush=True,
    )
    server = _start_gunicorn(env, arguments.port, arguments.workers)
    results: list[Measured] = []
    try:
        for page in pages:
            measured = _load(
                page,
                info,
                port=arguments.port,
                clients=arguments.clients,
                seconds=arguments.seconds,
            )
            measured.queries = _count_queries(page, info)
            results.append(measured)
            # Each page as it is measured, so a long run shows its progress.
            print(
                f"  {page.name}: {measured.rate:.1f} req/s, p50 {measured.percentile(50):.0f} ms, "
                f"{measured.queries} queries, {measured.errors} errors",
                file=sys.stderr,
                flush=True,
            )
    finally:
        _stop(server)
        from django.contrib.sessions.models import Session

        from withpeople.accounts.services import api_token_revoke

        api_token_revoke(token=info["token_row"])
        info["token_row"].delete()
        Session.objects.filter(session_key=info["session_key"]).delete()
    health = results[0].rate or float("nan")
    print(
        f"{'page':<28}{'req/s':>8}{'÷health':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'queries':>9}{'errors':>8}"
    )
    for m in results:
        queries = "-" if m.queries is None else str(m.queries)
        print(
            f"{m.page.name:<28}{m.rate:>8.1f}{m.rate / health:>9.3f}{m.percentile(50):>9.0f}"
            f"{m.percentile(95):>9.0f}{m.percentile(99):>9.0f}{queries:>9}{m.errors:>8}"
        )
    bad = [m for m in results if m.errors]
    for m in bad:
        print(f"  {m.page.name}: statuses {m.statuses}, {m.errors} errors", file=sys.stderr)
    if bad:
        sys.exit(1)


if __name__ == "__main__":
    main()
