"""Load WithPeople's default framework, so it is there with no manual step.

The YAML file is read when the migration runs, so the statements are the ones shipped with the
code being migrated. A site that already has a site-wide framework called "default" keeps it.
"""

from django.db import migrations


def load_default_framework(apps, schema_editor):
    from withpeople.domain.mir.framework import load_framework_yaml
    from withpeople.frameworks import default_framework_path

    Framework = apps.get_model("feedback", "Framework")
    Theme = apps.get_model("feedback", "Theme")
    Statement = apps.get_model("feedback", "Statement")
    source = default_framework_path().read_text(encoding="utf-8")
    parsed = load_framework_yaml(source)
    if Framework.objects.filter(organisation__isnull=True, key=parsed.key).exists():
        return
    framework = Framework.objects.create(
        organisation=None, key=parsed.key, title=parsed.title, source=source
    )
    for theme_position, theme in enumerate(parsed.themes):
        saved = Theme.objects.create(
            framework=framework, key=theme.key, title=theme.title, position=theme_position
        )
        Statement.objects.bulk_create(
            Statement(
                theme=saved,
                key=statement.key,
                kind=statement.kind.value,
                text=statement.text,
                easy_read=statement.easy_read or "",
                position=position,
            )
            for position, statement in enumerate(theme.statements)
        )


def remove_default_framework(apps, schema_editor):
    Framework = apps.get_model("feedback", "Framework")
    Framework.objects.filter(organisation__isnull=True, key="default", cycles__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_pictures_and_imports")]

    operations = [migrations.RunPython(load_default_framework, remove_default_framework)]
