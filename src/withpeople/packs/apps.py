from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PacksConfig(AppConfig):
    name = "withpeople.packs"
    verbose_name = _("Evidence packs")

    def ready(self) -> None:
        from withpeople.core import overview, personal_data
        from withpeople.packs.personal_data import ENTRIES
        from withpeople.packs.views import overview_section

        personal_data.register(*ENTRIES)

        overview.register_section(
            "evidence-pack", "packs/overview_section.html", overview_section, order=90
        )
