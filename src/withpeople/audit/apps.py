from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "withpeople.audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from withpeople.audit.personal_data import ENTRIES
        from withpeople.core import personal_data

        personal_data.register(*ENTRIES)
