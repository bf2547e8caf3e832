from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "withpeople.meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from withpeople.core import personal_data
        from withpeople.core.navigation import register_organisation_page
        from withpeople.meetings import demo  # noqa: F401  (registers the demo step)
        from withpeople.meetings.personal_data import ENTRIES

        register_organisation_page(
            _("Meetings"),
            "meetings:mine",
            order=25,
            active_prefixes=(
                "meetings:mine",
                "meetings:group",
                "meetings:create",
                "meetings:detail",
                "meetings:change",
                "meetings:cancel",
                "meetings:reply",
                "meetings:attendance",
                "meetings:reminders",
            ),
        )
        personal_data.register(*ENTRIES)
