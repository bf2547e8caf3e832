from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "withpeople.feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from withpeople.core import overview
        from withpeople.core.navigation import register_organisation_page
        from withpeople.feedback import (
            demo,  # noqa: F401 - registers the demo step
            tasks,  # noqa: F401 - listens for import tasks given up
        )
        from withpeople.feedback.overview import cycles_section

        register_organisation_page(
            _("Making It Real"),
            "feedback:cycles",
            order=30,
            active_prefixes=tuple(
                f"feedback:{name}"
                for name in (
                    "cycles", "cycle-create", "cycle", "cycle-edit", "cycle-open", "cycle-close",
                    "cycle-poster", "response-enter", "import", "import-job", "frameworks",
                    "framework-upload", "framework", "pictures", "picture-upload",
                )
            ),
        )  # fmt: skip
        overview.register_section(
            "feedback", "feedback/overview/section.html", cycles_section, order=30
        )

        from withpeople.core import personal_data
        from withpeople.feedback.personal_data import ENTRIES

        personal_data.register(*ENTRIES)
