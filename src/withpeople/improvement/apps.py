from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "withpeople.improvement"
    verbose_name = _("Improvement")

    def ready(self) -> None:
        from withpeople.core import overview
        from withpeople.improvement import demo  # noqa: F401 - registers the demo step
        from withpeople.improvement.overview import actions_waiting, ratings_waiting

        overview.register_waiting("improvement:ratings", ratings_waiting)
        overview.register_waiting("improvement:actions", actions_waiting)

        from withpeople.core import personal_data
        from withpeople.improvement.personal_data import ENTRIES

        personal_data.register(*ENTRIES)
