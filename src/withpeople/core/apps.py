from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Layout, public pages and the health check. Its one migration makes the cache table."""

    name = "withpeople.core"
    verbose_name = _("Core")
