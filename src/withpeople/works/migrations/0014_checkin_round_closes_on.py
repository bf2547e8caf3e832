"""A check-in round can have a closing date: the last day people can answer.

Then every piece of work's assessment is stored again (the refill 0012 and 0013 did, moved here
because the application's code reads check-in rounds, which now have this column). Should a
later migration change what that code reads or writes, make this fill a no-op and move it after
that one, or run `withpeople assessments recompute`.
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    from withpeople.works.assessments import assessments_refresh
    from withpeople.works.models import Work

    assessments_refresh(works=Work.objects.using(schema_editor.connection.alias).order_by("pk"))


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0013_aspect_assessments_keep_reasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkinround",
            name="closes_on",
            field=models.DateField(
                blank=True,
                help_text=(
                    "The last day people can answer. The round closes at the first daily tick "
                    "after it."
                ),
                null=True,
                verbose_name="closes on",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
