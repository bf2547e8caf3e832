"""Check-in answers become counts: one tally per round, aspect, perspective and rung.

A row per answer, written just after the receipt naming who answered, could be matched to that
receipt by row order on SQLite or by transaction id (``xmin``) on PostgreSQL. Existing answers
are counted into tallies here, and the receipts of closed rounds, no longer needed, are deleted.
The next migration deletes the answers.
"""

import django.db.models.deletion
from django.db import migrations, models


def count_answers(apps, schema_editor):
    CheckinAnswer = apps.get_model("works", "CheckinAnswer")
    CheckinTally = apps.get_model("works", "CheckinTally")
    CheckinReceipt = apps.get_model("works", "CheckinReceipt")
    counted = (
        CheckinAnswer.objects.order_by()
        .values("round_id", "aspect_id", "perspective", "rung")
        .annotate(number=models.Count("pk"))
    )
    CheckinTally.objects.bulk_create(
        CheckinTally(
            round_id=row["round_id"],
            aspect_id=row["aspect_id"],
            perspective=row["perspective"],
            rung=row["rung"],
            count=row["number"],
        )
        for row in counted
    )
    CheckinReceipt.objects.filter(round__closed_at__isnull=False).delete()


def list_answers(apps, schema_editor):
    """Back to one row per answer, in no particular order. Deleted receipts stay deleted."""
    CheckinAnswer = apps.get_model("works", "CheckinAnswer")
    CheckinTally = apps.get_model("works", "CheckinTally")
    CheckinAnswer.objects.bulk_create(
        CheckinAnswer(
            round_id=tally.round_id,
            aspect_id=tally.aspect_id,
            perspective=tally.perspective,
            rung=tally.rung,
        )
        for tally in CheckinTally.objects.filter(count__gt=0)
        for _ in range(tally.count)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0002_checkins_and_person_refs"),
    ]

    operations = [
        migrations.CreateModel(
            name="CheckinTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "perspective",
                    models.CharField(
                        choices=[
                            ("lived_experience", "Lived experience of care and support"),
                            ("carer", "Carer"),
                            ("frontline_staff", "Frontline staff"),
                            ("back_office_staff", "Back-office staff"),
                            ("manager", "Manager"),
                            ("commissioner", "Commissioner"),
                            ("other_staff", "Other staff"),
                        ],
                        help_text="Answers given in WithPeople keep only whether they came from a partner or from staff; imported answers keep the perspective in the file.",
                        max_length=30,
                        verbose_name="perspective",
                    ),
                ),
                (
                    "rung",
                    models.CharField(
                        choices=[
                            ("coercion", "Coercion"),
                            ("educating", "Educating"),
                            ("informing", "Informing"),
                            ("consultation", "Consultation"),
                            ("engagement", "Engagement"),
                            ("co-design", "Co-design"),
                            ("co-production", "Co-production"),
                        ],
                        max_length=20,
                        verbose_name="rung",
                    ),
                ),
                ("count", models.PositiveIntegerField(default=0, verbose_name="number of answers")),
                (
                    "aspect",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="checkin_tallies",
                        to="works.aspect",
                        verbose_name="aspect",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tallies",
                        to="works.checkinround",
                        verbose_name="check-in round",
                    ),
                ),
            ],
            options={
                "verbose_name": "check-in tally",
                "verbose_name_plural": "check-in tallies",
            },
        ),
        migrations.AddConstraint(
            model_name="checkintally",
            constraint=models.UniqueConstraint(
                fields=("round", "aspect", "perspective", "rung"), name="one_tally_per_rung"
            ),
        ),
        migrations.RunPython(count_answers, list_answers),
    ]
