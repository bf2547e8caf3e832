"""Clear "how partners' input changed it" where partners' input did not change the decision.

The page shows such a decision as "No", yet the text was stored and exported. The services now
clear it on every save (`withpeople.domain.evidence_checks.applicable_change`); this clears what
was stored before. The assessment does not read the text, so stored assessments stay right.
"""

from django.db import migrations


def clear_change_text(apps, schema_editor):
    Decision = apps.get_model("works", "Decision")
    Decision.objects.filter(partner_input_changed_it=False).exclude(change="").update(change="")


class Migration(migrations.Migration):
    dependencies = [("works", "0006_fill_stored_assessments")]

    operations = [migrations.RunPython(clear_change_text, migrations.RunPython.noop)]
