from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "withpeople.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from withpeople.core import personal_data
        from withpeople.notifications.personal_data import ENTRIES

        personal_data.register(*ENTRIES)
