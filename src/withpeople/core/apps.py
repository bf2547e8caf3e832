from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Layout, public pages and the health check. Its one migration makes the cache table."""

    name = "withpeople.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from withpeople.core.text_input import check_every_form_text_field

        check_every_form_text_field()
