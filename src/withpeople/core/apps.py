from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "withpeople.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_create_cache_table, sender=self)


def _create_cache_table(sender, using: str = "default", **kwargs) -> None:
    # The cache (sign-in throttling, rate limits) lives in the database so every web worker
    # shares it; make its table whenever the database is migrated.
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
