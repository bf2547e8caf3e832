from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "withpeople.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from withpeople.core.current import register_current_organisation
        from withpeople.organisations.access import current_organisation

        register_current_organisation(current_organisation)
        from withpeople.core.navigation import register_organisation_page

        register_organisation_page(_("Overview"), "organisations:dashboard", order=0)
        register_organisation_page(
            _("Members"),
            "organisations:members",
            order=90,
            active_prefixes=(
                "organisations:members",
                "organisations:member-invite",
                "organisations:member-change",
                "organisations:member-remove",
                "organisations:invitation-cancel",
            ),
        )

        from withpeople.core import personal_data
        from withpeople.organisations.personal_data import ENTRIES

        personal_data.register(*ENTRIES)

        from django.db.models.signals import post_save

        from withpeople.organisations.models import Organisation

        post_save.connect(
            _organisation_saved, sender=Organisation, dispatch_uid="organisation-figures-version"
        )


def _organisation_saved(sender, instance, created: bool, **kwargs) -> None:
    """Every new organisation has a token for its kept figures from the start
    (withpeople.organisations.figures)."""
    if created:
        from withpeople.organisations.figures import figures_version_create

        figures_version_create(instance.pk)
