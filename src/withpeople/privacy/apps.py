from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "withpeople.privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from withpeople.core.navigation import register_organisation_page
        from withpeople.privacy import demo  # noqa: F401  (registers the demo step)

        register_organisation_page(
            _("Your data"),
            "privacy:your-data",
            order=80,
            active_prefixes=tuple(
                f"privacy:{name}"
                for name in (
                    "your-data",
                    "my-data",
                    "people",
                    "person-data",
                    "person-erase",
                    "audit-log",
                    "retention",
                )
            )
            # Diversity monitoring is reached from the Your data page.
            + tuple(
                f"diversity:{name}"
                for name in (
                    "diversity-consent",
                    "diversity-answers",
                    "diversity-withdraw",
                    "diversity",
                    "diversity-work",
                    "categories",
                    "category-create",
                    "category-change",
                    "category-delete",
                    "option-create",
                    "option-change",
                    "option-delete",
                )
            ),
        )
