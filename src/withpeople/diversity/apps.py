from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiversityConfig(AppConfig):
    name = "withpeople.diversity"
    verbose_name = _("Diversity monitoring")

    def ready(self) -> None:
        from withpeople.core import personal_data
        from withpeople.diversity import demo  # noqa: F401  (registers the demo step)
        from withpeople.diversity.personal_data import ENTRIES

        personal_data.register(*ENTRIES)
