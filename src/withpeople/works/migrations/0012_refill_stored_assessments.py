"""Store the assessment of every piece of work that exists already (formerly 0006).

The assessment is computed by the application's own code (`assessments_refresh`), the same pure
rules every later change uses. That code reads the models as they are now, so it runs after the
last migration that changes what it reads (0008 added withdrawn evidence, which it leaves out; 0011 who an imported record names).
Should a later migration change what it reads again, make this a no-op and move it after that
one, or run `withpeople assessments recompute`.
"""

from django.db import migrations


def fill(apps, schema_editor):
    from withpeople.works.assessments import assessments_refresh
    from withpeople.works.models import Work

    assessments_refresh(works=Work.objects.using(schema_editor.connection.alias).order_by("pk"))


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0011_entries_keep_who_a_record_named"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
