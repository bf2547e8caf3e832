"""Each story keeps its response's cycle, with an index, so a cycle's stories are read directly."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_cycles(apps, schema_editor):
    Story = apps.get_model("feedback", "Story")
    Response = apps.get_model("feedback", "Response")
    Story.objects.filter(cycle__isnull=True).update(
        cycle_id=Subquery(Response.objects.filter(pk=OuterRef("response_id")).values("cycle_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0011_responses_in_order_per_cycle"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="cycle",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                help_text="The review cycle of the response the story was told in.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="feedback.reviewcycle",
                verbose_name="review cycle",
            ),
        ),
        migrations.RunPython(fill_cycles, migrations.RunPython.noop, elidable=False),
    ]
