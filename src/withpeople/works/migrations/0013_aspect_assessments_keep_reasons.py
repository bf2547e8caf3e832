"""Stored aspect assessments keep their reasons as messages, so the work's page reads them.

It once stored every piece of work's assessment again (the refill 0012 did); that refill is now
done by 0014_checkin_round_closes_on, because the application's code reads check-in rounds with
the column 0014 adds. The fill here is a no-op kept so that the migration graph stays the same.
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    pass


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
