"""Settings come from the environment; production refuses to start without its secrets."""

import json
import os
import re
import socket
import sqlite3
import stat
import subprocess
import sys
import threading

import pytest

# Variables the test settings set for themselves, which a production process would not have.
TEST_ONLY = {
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "WITHPEOPLE_DATA_DIR",
    "DATABASE_URL",
}


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in TEST_ONLY}


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    base = clean_env()
    base["DJANGO_SETTINGS_MODULE"] = "withpeople.settings"
    return subprocess.run(
        [sys.executable, "-c", code], env=base | env, capture_output=True, text=True, check=False
    )


SETUP = "import django; django.setup(); from django.conf import settings; "


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_python(SETUP, DEBUG="0", ALLOWED_HOSTS="x.org", WITHPEOPLE_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = run_python(SETUP, DEBUG="0", SECRET_KEY="k" * 60, WITHPEOPLE_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_development_makes_a_secret_key_once_readable_only_by_its_owner(tmp_path):
    code = SETUP + "print(settings.SECRET_KEY)"
    first = run_python(code, DEBUG="1", WITHPEOPLE_DATA_DIR=str(tmp_path))
    second = run_python(code, DEBUG="1", WITHPEOPLE_DATA_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_the_data_directory_is_private_to_its_owner(tmp_path):
    data_dir = tmp_path / "new" / "data"
    result = run_python(
        SETUP + "print(settings.DATABASES)", DEBUG="1", WITHPEOPLE_DATA_DIR=str(data_dir)
    )
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_processes_starting_at_once_agree_on_the_development_key(tmp_path):
    from withpeople.settings import _development_secret_key

    start = threading.Barrier(8)
    keys = []

    def make_key():
        start.wait()
        keys.append(_development_secret_key(tmp_path))

    threads = [threading.Thread(target=make_key) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) >= 50
    assert (tmp_path / "secret_key").read_text() == keys[0]
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_health_is_503_when_the_database_cannot_be_reached(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    code = SETUP + (
        "from django.test import Client; r = Client().get('/health/'); "
        "print(r.status_code, r.content.decode())"
    )
    result = run_python(
        code,
        DEBUG="1",
        ALLOWED_HOSTS="testserver",
        WITHPEOPLE_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"postgres://nobody@127.0.0.1:{closed_port}/withpeople",
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {
        "status": "unavailable",
        "checks": {"database": False, "migrations": False},
    }


def test_sqlite_settings_queue_concurrent_writers(tmp_path):
    code = SETUP + "print(settings.DATABASES['default']['OPTIONS'])"
    result = run_python(code, DEBUG="1", WITHPEOPLE_DATA_DIR=str(tmp_path))
    assert "'transaction_mode': 'IMMEDIATE'" in result.stdout
    assert "journal_mode=WAL" in result.stdout


def test_sqlite_file_database_is_in_wal_mode(tmp_path):
    code = SETUP + (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])"
    )
    result = run_python(code, DEBUG="1", WITHPEOPLE_DATA_DIR=str(tmp_path))
    assert result.stdout.split() == ["wal", "20000"], result.stderr


WRITE_25_TIMES = """
import time
from django.db import connection, transaction
for n in range(25):
    with transaction.atomic():
        cursor = connection.cursor()
        cursor.execute("SELECT COUNT(*) FROM hits")
        seen = cursor.fetchone()[0]
        time.sleep(0.002)
        cursor.execute("INSERT INTO hits (seen) VALUES (%s)", [seen])
"""


def test_sqlite_writers_in_parallel_processes_queue_instead_of_failing(tmp_path):
    # Each writer reads, then writes, in one transaction: with SQLite's default deferred
    # transactions two such writers fail at once with "database is locked"; with immediate
    # transactions and the busy timeout they wait their turn.
    with sqlite3.connect(tmp_path / "withpeople.sqlite3") as database:
        database.execute("CREATE TABLE hits (seen INTEGER NOT NULL)")
    env = clean_env() | {
        "DJANGO_SETTINGS_MODULE": "withpeople.settings",
        "DEBUG": "1",
        "WITHPEOPLE_DATA_DIR": str(tmp_path),
    }
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", SETUP + WRITE_25_TIMES],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    errors = [writer.communicate(timeout=120)[1] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0, 0, 0], errors
    with sqlite3.connect(tmp_path / "withpeople.sqlite3") as database:
        seen = sorted(row[0] for row in database.execute("SELECT seen FROM hits"))
    # Every transaction saw all the writes committed before it, and no two saw the same.
    assert seen == list(range(100))


def _production_env(tmp_path) -> dict[str, str]:
    return clean_env() | {
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "withpeople.example.org",
        "WITHPEOPLE_DATA_DIR": str(tmp_path / "data"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }


def _withpeople(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "withpeople.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = _withpeople(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_collectstatic_works_with_production_storage(tmp_path):
    """The README's production steps: the manifest storage fails on any asset the CSS names
    that the build did not provide (GOV.UK Frontend's images, for example)."""
    result = _withpeople("collectstatic", "--noinput", env=_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    assert "withpeople/withpeople.css" in manifest
    css = (tmp_path / "static" / manifest["withpeople/withpeople.css"]).read_text()
    # Every URL in the stylesheet was rewritten to a hashed file that exists.
    for url in re.findall(r"url\(\"?(/static/[^\")]+)", css):
        assert (tmp_path / "static" / url.removeprefix("/static/")).is_file(), url


# A person sends the public feedback form of a fresh install: the rate limit reads and writes
# the database cache, so this fails if `migrate` did not make the cache table.
SEND_PUBLIC_FORM = (
    SETUP
    + """
import re
from django.test import Client
from withpeople.feedback.tests.helpers import i_keys, make_cycle
from withpeople.organisations.services import organisation_create
cycle = make_cycle(organisation_create(slug="fresh", name="Fresh Council"))
client = Client()
page = client.get(f"/f/{cycle.public_code}/").content.decode()
token = re.search(r'name="token" value="([^"]+)"', page).group(1)
answers = {"token": token, f"answer-{i_keys(cycle)[0]}": "always"}
sent = client.post(f"/f/{cycle.public_code}/", answers)
print(sent.status_code, sent.get("Location"))
"""
)


def test_migrate_on_an_empty_database_makes_the_cache_table(tmp_path):
    env = clean_env() | {
        "DEBUG": "1",
        "WITHPEOPLE_DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "testserver",
    }
    result = _withpeople("migrate", "--verbosity", "0", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(tmp_path / "withpeople.sqlite3") as database:
        tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
    assert "withpeople_cache" in tables
    sent = run_python(SEND_PUBLIC_FORM, **env)
    assert sent.returncode == 0, sent.stderr
    status, location = sent.stdout.split()
    assert (status, location.endswith("/thanks/")) == ("302", True), sent.stdout


@pytest.mark.django_db
def test_demo_refuses_when_debug_is_off(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="does not run when DEBUG is off"):
        call_command("demo")


@pytest.mark.django_db
def test_demo_makes_one_person_per_role(settings, capsys):
    from django.core.management import call_command

    from withpeople.organisations.models import Membership

    call_command("demo", "--force", "--password", "a-demo-password")
    out = capsys.readouterr().out
    assert "a-demo-password" in out
    roles = dict(
        Membership.objects.filter(organisation__slug="example-council").values_list(
            "user__email", "role"
        )
    )
    assert roles["admin@example.org"] == "admin"
    assert roles["staff@example.org"] == "staff"
    assert roles["partner@example.org"] == "partner"


@pytest.mark.django_db
def test_org_create_command(capsys):
    from django.core import mail
    from django.core.management import CommandError, call_command

    from withpeople.organisations.models import Invitation, Organisation

    call_command("org", "create", "north-trust", "--name", "North Trust", "--admin", "a@north.org")
    assert Organisation.objects.get(slug="north-trust").name == "North Trust"
    assert Invitation.objects.get(email="a@north.org").role == "admin"
    assert "/invitations/" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already exists"):
        call_command("org", "create", "north-trust", "--name", "Again")
    with pytest.raises(CommandError, match="slug"):
        call_command("org", "create", "Not A Slug", "--name", "Bad")
    assert Organisation.objects.count() == 1
    del mail
