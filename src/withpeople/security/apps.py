from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """An organisation's sign-in rules: who must use a second factor, and resetting one."""

    name = "withpeople.security"
    verbose_name = _("Sign-in security")

    def ready(self) -> None:
        from withpeople.core import personal_data
        from withpeople.security.personal_data import ENTRIES

        personal_data.register(*ENTRIES)
