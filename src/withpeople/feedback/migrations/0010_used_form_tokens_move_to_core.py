"""The public form's used tokens move to the table every form's tokens are kept in (core)."""

from django.db import migrations


def copy_to_core(apps, schema_editor):
    # Tokens used in the last day could otherwise be sent again once.
    old = apps.get_model("feedback", "UsedFormToken")
    new = apps.get_model("core", "UsedFormToken")
    new.objects.bulk_create(
        [new(token_hash=t.token_hash, used_on=t.used_on) for t in old.objects.all()],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0009_publish_results_in_steps"),
        ("core", "0002_once_tokens_and_rate_counts"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, migrations.RunPython.noop),
        migrations.DeleteModel(name="UsedFormToken"),
    ]
