"""Migrating the test database to a given point and back, for tests of data migrations.

Django's `MigrationExecutor.migrate` first works out the project's state before every migration
it will unapply by rendering the models of every app and changing them, migration by migration,
through the rest of the project's history: with 90-odd models that took 10 s to unapply two
migrations. Here each migration is applied or unapplied from the state of its own ancestors,
worked out without rendering, and only the models it touches are drawn. A migration then sees
other apps' models as its dependencies leave them, which is all a migration may rely on: one
that reads a model it does not depend on fails here with a LookupError.
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Target = tuple[str, str | None]


def migrate(targets: list[Target]) -> Apps:
    """Apply and unapply migrations so that the database is at `targets`, as `migrate` would;
    the models as they were there."""
    executor = MigrationExecutor(connection)
    for migration, backwards in executor.migration_plan(targets):
        key = (migration.app_label, migration.name)
        state = executor.loader.project_state(key, at_end=False)
        with connection.schema_editor(atomic=migration.atomic) as editor:
            if backwards:
                migration.unapply(state, editor)
            else:
                migration.apply(state, editor)
        if backwards:
            executor.recorder.record_unapplied(*key)
        else:
            executor.recorder.record_applied(*key)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def migrate_to_the_latest(app: str | None = None) -> None:
    """Every app (or just `app`) at its last migration."""
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes(app))
