"""Every row of every table, to show that a request saved nothing: read in one query.

Tests of refusals compare what the database holds before and after a request. Reading each of
the 80-odd tables in a query of its own took about 80 ms a time on PostgreSQL; one query that
writes each table's rows out as text, in order of primary key, takes a few.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection

#: Sessions change whenever someone signs in, which is not what a request saves.
LEFT_OUT = {"sessions.session"}


def _table_text(model) -> str:
    """SQL for one table's rows as text: each row's columns quoted, one row a line. The names
    come from the models and are quoted by the database backend; there is no input here."""
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [quote(field.column) for field in meta.concrete_fields]
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    if connection.vendor == "postgresql":
        row = "concat_ws(',', " + ", ".join(f"quote_nullable({c})" for c in columns) + ")"
        return f"(SELECT string_agg({row}, E'\\n' ORDER BY {pk}) FROM {table})"  # noqa: S608
    row = " || ',' || ".join(f"quote({c})" for c in columns)
    rows = f"SELECT {row} AS r FROM {table} ORDER BY {pk}"  # noqa: S608
    return f"(SELECT group_concat(r, char(10)) FROM ({rows}))"  # noqa: S608


def every_row() -> dict[str, str]:
    """Each model's label, and all its table's rows as text ("" if it has none)."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in LEFT_OUT and not model._meta.proxy
    ]
    sql = " UNION ALL ".join(f"SELECT %s, {_table_text(model)}" for model in models)
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.label_lower for model in models])
        return {label: text or "" for label, text in cursor.fetchall()}
