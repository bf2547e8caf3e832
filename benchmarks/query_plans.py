"""The query plans of the key pages on PostgreSQL: does each query use an index, and does it
read only the organisation's rows?

Signs in as the admin of the largest organisation of a database filled by ``withpeople
scale-data`` (as ``benchmarks/pages.py`` does), opens each key page and list with Django's test
client, captures the SQL the real view runs (``CaptureQueriesContext``), and runs ``EXPLAIN
(ANALYZE, BUFFERS, FORMAT JSON)`` for each SELECT. For each page it prints how many queries ran,
their time as PostgreSQL measured it, whether every query that reads a large table does so
through an index, and which queries scan a large table whole (sequentially, or a whole index
without a condition: reading every organisation's rows, not just this one's), and for those,
whether any index could serve the query (planned again with sequential scans, hash and merge joins
switched off). A table is large when PostgreSQL's statistics give
it more than ``--large`` rows (10,000 by default). Run with::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wp_national \\
        uv run python benchmarks/query_plans.py [--large 10000] [--verbose] [--only NAME]

``--verbose`` prints every query's plan summary, and the SQL of each that scans a large table.
It writes nothing but the session and API token it makes (and removes), and the audit entries
the pages themselves write; EXPLAIN ANALYZE runs only SELECTs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pages import Page, _environment, _pages_and_credentials, _setup

DECLARE = re.compile(r'^\s*DECLARE\s+"[^"]+"\s+.*?CURSOR\s+(WITH(OUT)?\s+HOLD\s+)?FOR\s+', re.I)
INDEX_NODES = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}


@dataclass
class Plan:
    sql: str
    ms: float
    buffers: int
    scans: list[tuple[str, str]] = field(default_factory=list)  # (node type, table)
    index_names: list[str] = field(default_factory=list)

    def big_seq_scans(self, large: set[str]) -> list[str]:
        return sorted(
            {table for node, table in self.scans if node == "Seq Scan" and table in large}
        )

    def reads_large(self, large: set[str]) -> bool:
        return any(table in large for _node, table in self.scans)


def _walk(node: dict, plan: Plan) -> None:
    node_type = node.get("Node Type", "")
    if node_type in {"Index Scan", "Index Only Scan"} and "Index Cond" not in node:
        node_type = "Seq Scan"  # a whole index read in order reads every row just the same
    if "Relation Name" in node:
        plan.scans.append((node_type, node["Relation Name"]))
    if node_type in INDEX_NODES and "Index Name" in node:
        plan.index_names.append(node["Index Name"])
        if node_type == "Bitmap Index Scan":
            plan.scans.append((node_type, node["Index Name"]))
    for child in node.get("Plans", []):
        _walk(child, plan)


def _explain(cursor, sql: str) -> Plan:
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
    raw = cursor.fetchone()[0]
    document = (json.loads(raw) if isinstance(raw, str) else raw)[0]
    top = document["Plan"]
    plan = Plan(
        sql=sql,
        ms=document.get("Planning Time", 0) + document.get("Execution Time", 0),
        buffers=top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0),
    )
    _walk(top, plan)
    return plan


def _without_seq_scans(connection, sql: str) -> Plan:
    """The plan PostgreSQL makes when sequential scans, hash and merge joins cost it (almost)
    everything: if it still reads a large table whole, no index can serve the query."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        # Nested loops only, so each table is reached through an index from the rows before it.
        for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):
            cursor.execute(f"SET LOCAL {setting} = off")
        return _explain(cursor, sql)


def _large_tables(cursor, threshold: int) -> dict[str, int]:
    cursor.execute(
        "SELECT c.relname, c.reltuples::bigint FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND n.nspname = 'public' AND c.reltuples > %s",
        [threshold],
    )
    return dict(cursor.fetchall())


def _extra_pages(info: dict) -> list[Page]:
    """Lists and aggregates beyond the pages `benchmarks/pages.py` times."""
    from withpeople.works.models import Work

    organisation = info["organisation"]
    o = f"/o/{organisation.slug}"
    largest = info["largest"]
    work = Work.objects.filter(organisation=organisation).order_by("pk").first()
    pages = [
        Page("pieces of work, flagged", f"{o}/works/?flag=no_evidence", "session"),
        Page("pieces of work, page 5", f"{o}/works/?page=5", "session"),
        Page("members", f"{o}/members/", "session"),
        Page("groups", f"{o}/groups/", "session"),
        Page("time and payments", f"{o}/time-and-payments/", "session"),
        Page("review cycles", f"{o}/making-it-real/", "session"),
        Page("actions", f"{o}/cycles/{largest.slug}/actions/", "session"),
        Page("self-assessment", f"{o}/cycles/{largest.slug}/self-assessment/", "session"),
        Page("values of a piece of work", f"{o}/values/works/{work.pk}/", "session"),
        Page(
            "answers CSV",
            f"{o}/making-it-real/cycles/{largest.slug}/download/answers.csv",
            "session",
        ),
        Page("actions CSV", f"{o}/cycles/{largest.slug}/download/actions.csv", "session"),
        Page(
            "finance CSV, a year",
            f"{o}/time-and-payments/finance-export/?start=2020-01-01&end=2030-12-31"
            "&file_format=csv",
            "session",
        ),
        Page(
            "API: results",
            f"/api/v1/organisations/{organisation.slug}/cycles/{largest.slug}/results",
            "token",
        ),
        Page(
            "API: actions",
            f"/api/v1/organisations/{organisation.slug}/cycles/{largest.slug}/actions",
            "token",
        ),
        Page("API: values", f"/api/v1/organisations/{organisation.slug}/values", "token"),
    ]
    return pages


def _captured(page: Page, info: dict) -> tuple[int | None, list[str]]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {}
    if page.auth == "session":
        client.cookies[settings.SESSION_COOKIE_NAME] = info["session_key"]
    elif page.auth == "token":
        headers["Authorization"] = f"Bearer {info['token']}"
    client.get(page.path, headers=headers)  # first, to fill any per-process cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path, headers=headers)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return response.status_code, [q["sql"] for q in captured.captured_queries]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", type=int, default=10_000, help="rows that make a table large")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--only", help="only pages whose name contains this")
    arguments = parser.parse_args()
    env = _environment(8701)
    # The plans do not depend on DEBUG; with it on, pages need no collected static files.
    env["DEBUG"] = "1"
    _setup(env)
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Query plans are read on PostgreSQL: set DATABASE_URL to a postgres:// database.")
    pages, info = _pages_and_credentials()
    pages = [p for p in pages if p.name != "health"] + _extra_pages(info)
    if arguments.only:
        pages = [p for p in pages if arguments.only in p.name]
    try:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            large = _large_tables(cursor, arguments.large)
        print(
            f"{info['organisation'].name} (largest organisation); large tables (over "
            f"{arguments.large:,} rows): "
            + ", ".join(
                f"{name} {rows:,}" for name, rows in sorted(large.items(), key=lambda x: -x[1])
            )
        )
        print(
            f"{'page':<30}{'status':>7}{'queries':>8}{'ms':>9}{'worst ms':>9}"
            f"{'index':>7}{'org rows only':>15}  sequential scans of large tables"
        )
        problems = 0
        no_index = 0
        for page in pages:
            status, queries = _captured(page, info)
            plans = []
            with connection.cursor() as cursor:
                for sql in queries:
                    # A streamed download reads through a server-side cursor: explain its SELECT.
                    sql = DECLARE.sub("", sql)
                    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                        continue
                    try:
                        plans.append(_explain(cursor, sql))
                    except Exception as error:  # a query that cannot be run again as written
                        print(f"    could not explain: {error}: {sql[:200]}", file=sys.stderr)
            seq = sorted({t for plan in plans for t in plan.big_seq_scans(set(large))})
            # Could an index serve them? Ask again with sequential scans made (nearly) the last
            # resort: a table still scanned whole has no index this query can use. On a small
            # database the planner rightly prefers reading a small table whole.
            unindexable = sorted(
                {
                    table
                    for plan in plans
                    if plan.big_seq_scans(set(large))
                    for table in _without_seq_scans(connection, plan.sql).big_seq_scans(set(large))
                }
            )
            reading = [plan for plan in plans if plan.reads_large(set(large))]
            indexed = all(plan.index_names for plan in reading) and not seq
            total = sum(plan.ms for plan in plans)
            worst = max((plan.ms for plan in plans), default=0.0)
            problems += bool(seq)
            no_index += bool(unindexable)
            print(
                f"{page.name:<30}{status:>7}{len(queries):>8}{total:>9.1f}{worst:>9.1f}"
                f"{'yes' if indexed else 'NO':>7}{'yes' if not seq else 'NO':>15}  "
                + (", ".join(seq) or "-")
                + (f" (no index can serve: {', '.join(unindexable)})" if unindexable else ""),
                flush=True,
            )
            if arguments.verbose:
                for plan in plans:
                    flag = plan.big_seq_scans(set(large))
                    if flag:
                        forced = _without_seq_scans(connection, plan.sql).big_seq_scans(set(large))
                        flag = [*flag, f"(no index can serve: {', '.join(forced) or 'none'})"]
                    print(
                        f"      {plan.ms:8.1f} ms  {plan.buffers:>7} buffers  "
                        f"indexes: {', '.join(sorted(set(plan.index_names))) or '-'}"
                        + (f"  SEQ SCAN {', '.join(flag)}: {plan.sql[:600]}" if flag else "")
                    )
    finally:
        from django.contrib.sessions.models import Session

        from withpeople.accounts.services import api_token_revoke

        api_token_revoke(token=info["token_row"])
        info["token_row"].delete()
        Session.objects.filter(session_key=info["session_key"]).delete()
    print(
        f"{problems} of {len(pages)} pages scan a large table sequentially; on {no_index} no "
        "index could serve the query."
    )


if __name__ == "__main__":
    main()
