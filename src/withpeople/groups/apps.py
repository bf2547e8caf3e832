from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "withpeople.groups"
    verbose_name = _("Groups")

    def ready(self) -> None:
        from withpeople.core import overview
        from withpeople.core.navigation import register_organisation_page
        from withpeople.groups import demo  # noqa: F401  (registers the demo step)
        from withpeople.groups.overview import agreements_waiting

        register_organisation_page(
            _("Groups"),
            "groups:list",
            order=20,
            active_prefixes=(
                "groups:list",
                "groups:create",
                "values:relationships",
                "groups:detail",
                "groups:change",
                "values:group-relationships",
                "groups:member-add",
                "groups:member-change",
                "groups:member-end",
                "groups:member-access-needs",
                "groups:agreement",
                "groups:agreement-edit",
                "groups:agreement-publish",
                "groups:agreement-version",
                "groups:agreement-changes",
                "values:values",
                "values:work-values",
                "works:activity-access-needs",
            ),
        )
        register_organisation_page(_("Your access needs"), "groups:my-access-needs", order=85)
        overview.register_waiting("groups:agreements", agreements_waiting)

        from withpeople.core import personal_data
        from withpeople.groups.personal_data import ENTRIES

        personal_data.register(*ENTRIES)

        from withpeople.groups.notify import easy_read_user_ids
        from withpeople.notifications.services import register_easy_read_lookup

        register_easy_read_lookup(easy_read_user_ids)
