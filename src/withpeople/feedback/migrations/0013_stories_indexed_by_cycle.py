"""The cycle each story keeps is required, and a cycle's stories (chosen or not) are indexed."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0012, whose update of every story must be committed before the column changes.
    dependencies = [
        ("feedback", "0012_stories_kept_with_their_cycle"),
    ]

    operations = [
        migrations.AlterField(
            model_name="story",
            name="cycle",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                help_text="The review cycle of the response the story was told in.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="feedback.reviewcycle",
                verbose_name="review cycle",
            ),
        ),
        migrations.AddIndex(
            model_name="story",
            index=models.Index(
                fields=["cycle", "chosen_for_publication"], name="story_cycle_chosen"
            ),
        ),
    ]
