"""A self-assessment rating stays when the person who gave it is erased.

The rating keeps the perspective of the person who gave it, so the comparison of staff's and
partners' ratings still adds up after the link to them is gone.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_perspectives(apps, schema_editor):
    Rating = apps.get_model("improvement", "Rating")
    for rating in Rating.objects.select_related("membership").iterator():
        rating.perspective = rating.membership.perspective
        rating.save(update_fields=["perspective"])


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0001_initial"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="rating",
            name="perspective",
            field=models.CharField(
                choices=[
                    ("lived_experience", "Lived experience of care and support"),
                    ("carer", "Carer"),
                    ("frontline_staff", "Frontline staff"),
                    ("back_office_staff", "Back-office staff"),
                    ("manager", "Manager"),
                    ("commissioner", "Commissioner"),
                    ("other_staff", "Other staff"),
                ],
                default="",
                max_length=30,
                verbose_name="perspective of the person rating",
                help_text="Kept with the rating so staff's and partners' views can still be compared.",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(copy_perspectives, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="rating",
            name="membership",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty once the person has been erased: their rating still counts, without them.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="self_assessment_ratings",
                to="organisations.membership",
                verbose_name="rated by",
            ),
        ),
    ]
