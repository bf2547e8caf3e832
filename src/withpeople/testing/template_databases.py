"""Test databases copied from one migrated template, rather than each migrated on its own.

Migrating an empty database takes several seconds of CPU. Under pytest-xdist every worker needs
its own test database, and the suite runs twice per database (in parallel, then the tests
marked serial), so the same migrations used to run ten times a run. Instead the first worker
migrates a template, named after a digest of every migration and of the lockfile, and each
worker copies it: PostgreSQL with `CREATE DATABASE … TEMPLATE`, SQLite by copying the file with
SQLite's backup API. A template whose digest no longer matches is dropped when a new one is
made (on SQLite, whose templates every checkout on the machine shares, once a day old). A lock
file keeps two workers from building or copying at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
_WORKER_SUFFIX = re.compile(r"_gw\d+$")


def migrations_digest() -> str:
    """A digest of everything that decides what the migrated database holds."""
    digest = hashlib.sha256()
    sources = sorted((ROOT / "src" / "withpeople").glob("*/migrations/*.py"))
    for path in [*sources, ROOT / "uv.lock"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def _locked(name: str) -> Iterator[None]:
    key = hashlib.sha256(name.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"withpeople-{key}.lock"
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _template_name(test_name: str, vendor: str, digest: str) -> str:
    if vendor == "sqlite":
        # Each test process has a data directory of its own: the template is shared beside them.
        return str(Path(tempfile.gettempdir()) / f"withpeople-test-template-{digest}.sqlite3")
    return f"{_WORKER_SUFFIX.sub('', test_name)}_template_{digest}"


def _build_template(connection, template: str, verbosity: int) -> None:
    """Migrate a new template database, under a temporary name, then move it into place."""
    building = f"{template}_building" if connection.vendor != "sqlite" else f"{template}.building"
    test_settings = connection.settings_dict.setdefault("TEST", {})
    worker_name = test_settings.get("NAME")
    test_settings["NAME"] = building
    try:
        connection.creation.create_test_db(
            verbosity=verbosity, autoclobber=True, serialize=False, keepdb=False
        )
    finally:
        test_settings["NAME"] = worker_name
    connection.close()
    if connection.vendor == "sqlite":
        with sqlite3.connect(building) as source:
            source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        os.replace(building, template)
        for extra in ("-wal", "-shm"):
            Path(building + extra).unlink(missing_ok=True)
    else:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')


def _drop_stale_templates(connection, template: str) -> None:
    if connection.vendor == "sqlite":
        # Shared by every checkout on the machine: another checkout's template may be in use, so
        # only those left alone for a day go.
        for path in Path(template).parent.glob("withpeople-test-template-*.sqlite3*"):
            if not str(path).startswith(template) and time.time() - path.stat().st_mtime > 86400:
                path.unlink(missing_ok=True)
        return
    prefix = template.rsplit("_", 1)[0]
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            [prefix.replace("_", r"\_") + "%", template],
        )
        for (name,) in cursor.fetchall():
            if _WORKER_SUFFIX.search(name) is None:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _template_exists(connection, template: str) -> bool:
    if connection.vendor == "sqlite":
        return Path(template).exists()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        return cursor.fetchone() is not None


def _copy(connection, template: str, target: str) -> None:
    if connection.vendor == "sqlite":
        for extra in ("", "-wal", "-shm"):
            Path(target + extra).unlink(missing_ok=True)
        with sqlite3.connect(template) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{template}"')


def database_from_template(connection, *, verbosity: int = 0) -> str:
    """Give `connection` a fresh test database copied from the migrated template; return the
    name it had before (to give back to `destroy_test_db`)."""
    if connection.vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(connection.vendor)
    old_name = connection.settings_dict["NAME"]
    target = connection.creation._get_test_db_name()
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(target):
        raise NotImplementedError("the test database must be a file")
    template = _template_name(target, connection.vendor, migrations_digest())
    with _locked(template):
        if not _template_exists(connection, template):
            _drop_stale_templates(connection, template)
            _build_template(connection, template, verbosity)
        _copy(connection, template, target)
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = target
    connection.settings_dict["NAME"] = target
    connection.ensure_connection()
    return old_name
