"""Public pages, the health check and the error pages."""

from __future__ import annotations

import time

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from withpeople.core.current import current_organisation
from withpeople.core.ladder_labels import group_label, level_label, rung_name, rung_summary
from withpeople.domain.ladder import LEVEL_LABELS, RUNGS, RungGroup


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        organisation = current_organisation(request)
        if organisation is not None:
            return redirect("organisations:dashboard", org_slug=organisation.slug)
        return redirect("organisations:list")
    return render(request, "core/home.html")


def ladder(request: HttpRequest) -> HttpResponse:
    groups = [
        {
            "label": group_label(group),
            "rungs": [
                {"position": r.position, "name": rung_name(r), "summary": rung_summary(r)}
                for r in reversed(RUNGS)
                if r.group == group
            ],
        }
        for group in (RungGroup.DOING_WITH, RungGroup.DOING_FOR, RungGroup.DOING_TO)
    ]
    return render(
        request,
        "core/ladder.html",
        {"groups": groups, "levels": [level_label(level) for level in LEVEL_LABELS]},
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def api_docs(request: HttpRequest) -> HttpResponse:
    return render(request, "core/api_docs.html")


#: How long a process trusts that the database is fully migrated before looking again. Loading
#: the migration graph reads every migration module, which is far dearer than the request, so
#: it is done once in a while, not on every call; an unmigrated answer is never kept.
MIGRATIONS_CHECK_SECONDS = 300.0

_migrated_at: dict[str, float] = {}


def _migrated() -> bool:
    """Whether every migration is applied: looked up at most every few minutes once it is."""
    checked = _migrated_at.get(connection.alias)
    if checked is not None and time.monotonic() - checked < MIGRATIONS_CHECK_SECONDS:
        return True
    executor = MigrationExecutor(connection)
    migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    if migrated:
        _migrated_at[connection.alias] = time.monotonic()
    else:
        _migrated_at.pop(connection.alias, None)
    return migrated


def health_cache_clear() -> None:
    """Forget that the database was found migrated, so the next call looks again."""
    _migrated_at.clear()


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers and is migrated.

    Every call makes one round trip to the database; whether it is migrated is remembered for a
    few minutes once it is (see `MIGRATIONS_CHECK_SECONDS`).
    """
    checks = {"database": False, "migrations": False}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
        checks["migrations"] = _migrated()
    except DatabaseError:
        pass
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be the thing that failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
