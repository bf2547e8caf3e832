from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksConfig(AppConfig):
    name = "withpeople.works"
    verbose_name = _("Pieces of work")

    def ready(self) -> None:
        from withpeople.core import overview
        from withpeople.core.navigation import register_organisation_page
        from withpeople.groups.services import on_members_changed
        from withpeople.works import demo  # noqa: F401  (registers the demo step)
        from withpeople.works.assessments import assessment_refresh_for_group
        from withpeople.works.overview import checkins_waiting, works_section
        from withpeople.works.urls import urlpatterns

        register_organisation_page(
            _("Pieces of work"),
            "works:list",
            order=10,
            active_prefixes=tuple(
                f"works:{pattern.name}"
                for pattern in urlpatterns
                if pattern.name not in ("openness", "activity-access-needs")
            ),
        )
        overview.register_waiting("works:checkins", checkins_waiting)
        overview.register_section("works", "works/overview/section.html", works_section, order=10)

        from withpeople.groups.access import WorkGroupRule, register_work_group_rule
        from withpeople.works.access import access_for_group_of_work, hidden_group_ids

        register_work_group_rule(
            WorkGroupRule(access_for=access_for_group_of_work, hidden_group_ids=hidden_group_ids)
        )

        from withpeople.core import personal_data
        from withpeople.works.personal_data import ENTRIES

        personal_data.register(*ENTRIES)

        # The assessment reads the people in a piece of work's group: keep it in step.
        on_members_changed(assessment_refresh_for_group)
