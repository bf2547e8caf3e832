from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksConfig(AppConfig):
    name = "withpeople.works"
    verbose_name = _("Pieces of work")
