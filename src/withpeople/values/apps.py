from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValuesConfig(AppConfig):
    name = "withpeople.values"
    verbose_name = _("Values of co-production")

    def ready(self) -> None:
        from withpeople.values.versions import connect

        connect()
