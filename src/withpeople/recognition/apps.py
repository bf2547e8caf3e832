from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "withpeople.recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        from withpeople.core import overview
        from withpeople.core.navigation import register_organisation_page
        from withpeople.recognition import demo  # noqa: F401  (registers the demo step)
        from withpeople.recognition.overview import money_waiting
        from withpeople.recognition.urls import urlpatterns

        register_organisation_page(
            _("Time and payments"),
            "recognition:home",
            order=40,
            # Every page of this app marks "Time and payments" as the current item.
            active_prefixes=tuple(f"recognition:{pattern.name}" for pattern in urlpatterns),
        )
        overview.register_waiting("recognition:money", money_waiting)

        from withpeople.core import personal_data
        from withpeople.recognition.personal_data import ENTRIES

        personal_data.register(*ENTRIES)
