"""Fixtures shared by every test: an organisation with one member per role, and an outsider.

Also how the suite is split between the databases (see docs/decisions/0010-test-suite.md):

* ``--db-only`` keeps only the tests that use the database, browser tests excepted: the second
  run, on PostgreSQL, checks what can differ between the databases and nothing else.
* ``@pytest.mark.serial`` tests run one at a time, outside pytest-xdist: ``--serial-only`` runs
  just them, ``--no-serial`` leaves them out.
* pytest-xdist sends each test file to one worker (``--dist loadfile``): the page crawl's
  tests share one demo on one worker.
* ``HYPOTHESIS_PROFILE`` picks the Hypothesis profile: ``dev`` (the default) or ``ci``.
"""

import os

import pytest
from hypothesis import settings as hypothesis_settings

# Playwright's sync API runs an event loop in the test thread; the test still talks to the
# database synchronously, which is safe here because nothing else runs in that loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# No deadline in either profile: on a busy shared machine one example can take far longer than
# Hypothesis's default 200 ms, and a deadline then fails tests that are correct.
hypothesis_settings.register_profile("dev", max_examples=50, deadline=None)
hypothesis_settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

#: Fixtures that give a test the database; pytest-django adds the ones a test's fixtures
#: depend on to ``item.fixturenames``, so a fixture built on ``db`` counts too.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """Each test database is a copy of one migrated template, not migrated again by every
    pytest-xdist worker (withpeople.testing.template_databases)."""
    from django.db import connections

    from withpeople.testing.template_databases import database_from_template

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        old_name = database_from_template(connections["default"], verbosity=verbosity)
    yield
    with django_db_blocker.unblock():
        # On PostgreSQL the test database is kept for the next run, which drops it as it copies
        # the template again: dropping a database makes PostgreSQL finish any checkpoint in
        # progress and wait for it, which on a busy run took half a minute for each worker.
        connection = connections["default"]
        keep = connection.vendor == "postgresql"
        connection.creation.destroy_test_db(old_name, verbosity=verbosity, keepdb=keep)


def pytest_addoption(parser):
    group = parser.getgroup("withpeople")
    group.addoption(
        "--db-only",
        action="store_true",
        help="Run only the tests that use the database, leaving out browser tests.",
    )
    group.addoption("--serial-only", action="store_true", help="Run only the tests marked serial.")
    group.addoption("--no-serial", action="store_true", help="Leave out the tests marked serial.")


def uses_database(item) -> bool:
    """Whether the test touches the database, as pytest-django decides it may."""
    if item.get_closest_marker("django_db") is not None:
        return True
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    cls = getattr(item, "cls", None)
    if cls is not None:
        from django.test import TransactionTestCase

        return issubclass(cls, TransactionTestCase)
    return False


def kind_of(item) -> str:
    if item.get_closest_marker("browser") is not None:
        return "browser"
    return "database" if uses_database(item) else "no database"


def pytest_configure(config):
    # A live server address given with a port (--liveserver 127.0.0.1:8401) gets one port per
    # pytest-xdist worker, so that two workers never ask for the same port.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    address = config.getoption("liveserver", default=None)
    if worker.startswith("gw") and address and ":" in address:
        host, port = address.rsplit(":", 1)
        config.option.liveserver = f"{host}:{int(port) + int(worker[2:])}"


# Last, after pytest-django's own ordering (database tests after the rest).
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    db_only = config.getoption("db_only")
    serial_only = config.getoption("serial_only")
    no_serial = config.getoption("no_serial")
    keep, leave = [], []
    for item in items:
        kind = kind_of(item)
        serial = item.get_closest_marker("serial") is not None
        if (
            (db_only and kind != "database")
            or (serial_only and not serial)
            or (no_serial and serial)
        ):
            leave.append(item)
            continue
        item.user_properties.append(("kind", kind))
        keep.append(item)
    # Browser tests first, and the crawls of every page (one file per role) first of all, so
    # that under pytest-xdist the workers start on the longest files while the others share out
    # the rest; the order is the same on every worker.
    keep.sort(
        key=lambda item: (kind_of(item) != "browser", "/test_every_page_as_" not in item.nodeid)
    )
    if leave:
        config.hook.pytest_deselected(items=leave)
    items[:] = keep


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    """Before a Hypothesis test, let Hypothesis read the constants in our modules imported since
    its last test. It does this on a test's first draw, which it times: a few hundred modules
    imported by the tests before (views, templates) took over a second on a busy machine, more
    than the one second HealthCheck.too_slow allows for the first draws, so the next Hypothesis
    test failed, whatever its strategy. Done here, the reading is not charged to any test."""
    from hypothesis import is_hypothesis_test

    if is_hypothesis_test(getattr(item, "obj", None)):
        try:
            from hypothesis.internal.conjecture.providers import _get_local_constants
        except ImportError:  # A later Hypothesis: then it is Hypothesis's own business.
            return
        _get_local_constants()


def _database_name() -> str:
    from django.db import connection

    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(
        connection.vendor, connection.vendor
    )


def pytest_terminal_summary(terminalreporter, config):
    """Say how many tests ran on which database, by kind, and append it to
    $WITHPEOPLE_TEST_SUMMARY for scripts/test's summary at the end."""
    _axe_summary(terminalreporter)
    seen: dict[str, str] = {}
    outcomes: dict[str, int] = {}
    for category, reports in terminalreporter.stats.items():
        if category in ("", "deselected", "warnings"):
            continue
        for report in reports:
            nodeid = getattr(report, "nodeid", None)
            if nodeid is None or nodeid in seen:
                continue
            if getattr(report, "when", "call") != "call" and category == "passed":
                continue
            seen[nodeid] = dict(getattr(report, "user_properties", ())).get("kind", "unknown")
            outcomes[category] = outcomes.get(category, 0) + 1
    if not seen:
        return
    database = _database_name()
    kinds = {kind: list(seen.values()).count(kind) for kind in sorted(set(seen.values()))}
    line = (
        f"{len(seen)} tests on {database} ("
        + ", ".join(f"{n} {kind}" for kind, n in kinds.items())
        + "): "
        + ", ".join(f"{n} {category}" for category, n in sorted(outcomes.items()))
    )
    terminalreporter.section("tests per database")
    terminalreporter.write_line(line)
    summary = os.environ.get("WITHPEOPLE_TEST_SUMMARY")
    # Once per run: by the controller, not again by each pytest-xdist worker.
    if summary and not os.environ.get("PYTEST_XDIST_WORKER"):
        phase = os.environ.get("WITHPEOPLE_TEST_PHASE", "")
        with open(summary, "a", encoding="utf-8") as out:
            out.write(f"{phase}: {line}\n" if phase else f"{line}\n")


@pytest.fixture
def organisation(db):
    from withpeople.testing.people import make_organisation

    return make_organisation()


@pytest.fixture
def members(organisation):
    """One member per role in `organisation`, keyed by role."""
    from withpeople.testing.people import make_members

    return make_members(organisation)


@pytest.fixture
def outsider(db):
    """An admin of a different organisation: must never see anything of `organisation`."""
    from withpeople.testing.people import make_outsider

    return make_outsider()


@pytest.fixture
def client_for(client):
    """client_for(membership) gives a test client signed in as that member."""
    from django.test import Client

    def make(membership):
        c = Client()
        c.force_login(membership.user if hasattr(membership, "user") else membership)
        return c

    return make


def _axe_summary(terminalreporter):
    """The pages the page crawl checked with axe, by role. Each test records its count as a
    property of its report, which reaches this summary from a pytest-xdist worker too (here, as
    the controller of xdist never loads tests/browser/conftest.py)."""
    checked: dict[str, int] = {}
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        for name, value in getattr(report, "user_properties", ()):
            if name == "axe_pages_checked":
                role, count = value
                checked[role] = count
    if checked:
        terminalreporter.section("pages checked with axe")
        for role, count in checked.items():
            terminalreporter.write_line(f"{role}: {count} pages")
        terminalreporter.write_line(f"total: {sum(checked.values())} pages")


_SET_UP = pytest.StashKey[bool]()


def _empties_the_database(item) -> bool:
    """A transactional test (and a live server) ends by emptying every table, as pytest-django
    does: the rows the migrations load go with everything else."""
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        {"transactional_db", "live_server"} & fixtures
        or (marker is not None and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    outcome = yield
    item.stash[_SET_UP] = outcome.excinfo is None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that emptied the database, put back what the migrations load (the shipped
    framework), so the tests after it on the same worker start from a migrated database, as they
    would on their own."""
    yield
    if nextitem is None:
        return  # the last test: the test database itself has just been destroyed
    if not (item.stash.get(_SET_UP, False) and _empties_the_database(item)):
        return  # its test database was never set up, or it was rolled back rather than emptied
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        from withpeople.feedback.services import default_framework

        default_framework()
