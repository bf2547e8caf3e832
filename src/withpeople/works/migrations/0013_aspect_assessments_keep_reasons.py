"""Stored aspect assessments keep their reasons as messages, so the work's page reads them.

Then every piece of work's assessment is stored again (the refill 0012 did, moved here because
the application's code now writes the new column). Should a later migration change what that
code reads or writes, make this fill a no-op and move it after that one, or run
`withpeople assessments recompute`.
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    from withpeople.works.assessments import assessments_refresh
    from withpeople.works.models import Work

    assessments_refresh(works=Work.objects.using(schema_editor.connection.alias).order_by("pk"))


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0012_refill_stored_assessments"),
    ]

    operations = [
        migrations.AddField(
            model_name="aspectassessment",
            name="reasons",
            field=models.JSONField(blank=True, default=list, verbose_name="reasons"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
