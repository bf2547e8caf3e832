import pytest

from withpeople.core import views as core_views

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _health_looks_afresh():
    core_views.health_cache_clear()
    yield
    core_views.health_cache_clear()


def test_health_is_ok_when_migrated(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "migrations": True}}


def test_health_is_503_with_unapplied_migrations(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["pending"])
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "migrations": False}


def test_health_loads_the_migrations_once_and_asks_the_database_every_time(
    client, monkeypatch, django_assert_num_queries
):
    from django.db.migrations.executor import MigrationExecutor

    plans = []
    real_plan = MigrationExecutor.migration_plan
    monkeypatch.setattr(
        MigrationExecutor,
        "migration_plan",
        lambda self, targets: plans.append(1) or real_plan(self, targets),
    )
    assert client.get("/health/").status_code == 200
    for _ in range(3):
        with django_assert_num_queries(1):  # SELECT 1: the database must still answer
            assert client.get("/health/").status_code == 200
    assert len(plans) == 1


def test_health_notices_unapplied_migrations_once_the_answer_is_old(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    assert client.get("/health/").status_code == 200
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["pending"])
    assert client.get("/health/").status_code == 200  # still within the remembered time
    monkeypatch.setattr(core_views, "MIGRATIONS_CHECK_SECONDS", 0.0)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "migrations": False}


def test_pages_have_security_headers(client):
    response = client.get("/ladder/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_ladder_page_lists_the_rungs_top_down(client):
    html = client.get("/ladder/").content.decode()
    positions = [html.index(name) for name in ("Co-production", "Co-design", "Coercion")]
    assert positions == sorted(positions)


def test_404_page_is_in_house_style(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-footer" in response.content


def test_csrf_failure_page(members):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(members["admin"].user)
    response = client.post("/o/example/members/invite/", {"email": "a@example.org"})
    assert response.status_code == 403
    assert b"Your form could not be sent" in response.content


def test_500_page_renders_without_the_database(rf):
    from withpeople.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"govuk-footer" in response.content
