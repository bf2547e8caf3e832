"""Store the assessment of every piece of work that exists already.

The assessment is computed by the application's own code (`assessments_refresh`), the same
pure rules every later change uses, so the stored rows equal what the pages computed before.
That code reads the models as they are now; should a later migration change what it reads,
this one must be run before it (it is, in order) or made a no-op and replaced by `withpeople
assessments recompute`.
"""

from django.db import migrations


def fill(apps, schema_editor):
    """Now done by 0012_refill_stored_assessments, after 0008 added columns the code reads
    (who recorded evidence, and whether it was withdrawn)."""


def empty(apps, schema_editor):
    AspectAssessment = apps.get_model("works", "AspectAssessment")
    WorkAssessment = apps.get_model("works", "WorkAssessment")
    AspectAssessment.objects.all().delete()
    WorkAssessment.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0005_store_assessments"),
    ]

    operations = [migrations.RunPython(fill, empty)]
