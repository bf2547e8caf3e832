from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "withpeople.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from withpeople.accounts.personal_data import ENTRIES
        from withpeople.core import personal_data

        personal_data.register(*ENTRIES)
