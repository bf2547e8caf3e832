from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScaleConfig(AppConfig):
    """Site-level tools that use every feature app: filling a database with data at scale."""

    name = "withpeople.scale"
    verbose_name = _("Data at scale")
