"""The database cache's table.

Sign-in throttling and the public form's rate limit live in the database cache (CACHES in
settings), so every web worker shares them. `migrate` must make its table: without it, a fresh
install fails on the first public feedback form sent. createcachetable makes only the tables
that are missing, so this is safe where the table was made by hand.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
