"""The answers, now counted in tallies (see 0003), are deleted."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0003_count_checkin_answers"),
    ]

    operations = [
        migrations.DeleteModel(
            name="CheckinAnswer",
        ),
    ]
