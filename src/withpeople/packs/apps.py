from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PacksConfig(AppConfig):
    name = "withpeople.packs"
    verbose_name = _("Evidence packs")

    def ready(self) -> None:
        from withpeople.core import overview
        from withpeople.packs.views import overview_section

        overview.register_section(
            "evidence-pack", "packs/overview_section.html", overview_section, order=90
        )
