import pytest

pytestmark = pytest.mark.django_db


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
