"""Which rows the organisation's values dashboard counts, and how each leads to its
organisation: any save or deletion of one writes a new token for the organisation's kept
figures, in the same transaction (withpeople.organisations.figures).

A model added to what the dashboard counts (or to the recognition or diversity figures it
shows) must be added here; `values/tests/test_kept_figures.py` changes each kind of row and
checks that the page shows the new figures at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.db.models.signals import post_save, pre_delete

from withpeople.organisations.figures import figures_changed


def _organisations_of() -> dict[type[Model], Callable[[Any], int | QuerySet | None]]:
    """Each counted model, and how one of its rows gives its organisation: an id already on
    the row, or a query for it (run as a subquery of the one UPDATE)."""
    from withpeople.diversity.models import (
        DiversityAnswer,
        DiversityCategory,
        DiversityConsent,
        DiversityOption,
    )
    from withpeople.groups.models import Group, GroupMember, WorkingAgreement
    from withpeople.organisations.models import Membership
    from withpeople.recognition.models import Payment, RecognitionPreference, TimeRecord
    from withpeople.works.models import Activity, Decision, Participation, Work

    def of_group(group_id: int) -> QuerySet:
        return Group.objects.filter(pk=group_id).values("organisation_id")

    def of_work(work_id: int) -> QuerySet:
        return Work.objects.filter(pk=work_id).values("organisation_id")

    return {
        Work: lambda row: row.organisation_id,
        Activity: lambda row: of_work(row.work_id),
        Decision: lambda row: of_work(row.work_id),
        Participation: lambda row: Work.objects.filter(activities=row.activity_id).values(
            "organisation_id"
        ),
        Group: lambda row: row.organisation_id,
        GroupMember: lambda row: of_group(row.group_id),
        WorkingAgreement: lambda row: of_group(row.group_id),
        TimeRecord: lambda row: row.organisation_id,
        Payment: lambda row: row.organisation_id,
        RecognitionPreference: lambda row: Group.objects.filter(members=row.member_id).values(
            "organisation_id"
        ),
        Membership: lambda row: row.organisation_id,
        DiversityCategory: lambda row: row.organisation_id,
        DiversityOption: lambda row: DiversityCategory.objects.filter(pk=row.category_id).values(
            "organisation_id"
        ),
        DiversityAnswer: lambda row: DiversityCategory.objects.filter(pk=row.category_id).values(
            "organisation_id"
        ),
        DiversityConsent: lambda row: Membership.objects.filter(pk=row.membership_id).values(
            "organisation_id"
        ),
    }


def connect() -> None:
    for model, organisation_of in _organisations_of().items():

        def changed(sender, instance, organisation_of=organisation_of, **kwargs) -> None:
            figures_changed(organisation_of(instance))

        label = model._meta.label_lower
        # After a save, so that a reader who sees the new token sees the row; before a
        # deletion, while the rows that lead to the organisation are still there (a deletion
        # runs in one transaction, signals and all).
        # weak=False: `changed` is made here and nothing else holds it.
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"figures-saved:{label}")
        pre_delete.connect(
            changed, sender=model, weak=False, dispatch_uid=f"figures-deleted:{label}"
        )
