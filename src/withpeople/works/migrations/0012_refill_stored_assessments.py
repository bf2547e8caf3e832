"""Store the assessment of every piece of work that exists already (formerly 0006).

Now done by 0014_checkin_round_closes_on, after the last column the code reads or writes; this
is a no-op kept so that the migration graph stays the same.

The assessment is computed by the application's own code (`assessments_refresh`), the same pure
rules every later change uses. That code reads the models as they are now, so it runs after the
last migration that changes what it reads (0008 added withdrawn evidence, which it leaves out; 0011 who an imported record names).
Should a later migration change what it reads again, make this a no-op and move it after that
one, or run `withpeople assessments recompute`.
"""

from django.db import migrations


def fill(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0011_entries_keep_who_a_record_named"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
