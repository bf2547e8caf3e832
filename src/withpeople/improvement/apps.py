from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "withpeople.improvement"
    verbose_name = _("Improvement")

    def ready(self) -> None:
        from withpeople.improvement import demo  # noqa: F401 - registers the demo step
