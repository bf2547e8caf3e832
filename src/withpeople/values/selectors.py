"""Reads for the values of co-production: the relationship over time and the dashboards.

Each read runs a fixed number of queries, whatever the number of groups, members and
activities, so pages stay fast as an organisation's history grows.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils import timezone

from withpeople.core import fragments
from withpeople.domain import values
from withpeople.domain.assessment import NO_BACK_OFFICE_STAFF, NO_FRONTLINE_STAFF
from withpeople.domain.ladder import Perspective, is_partner
from withpeople.groups.models import (
    Group,
    GroupKind,
    GroupMember,
    GroupQuerySet,
    WorkingAgreement,
)
from withpeople.organisations.figures import figures_version
from withpeople.organisations.models import Organisation
from withpeople.recognition.selectors import partner_time_recognised

# --- The relationship over time ------------------------------------------------------------------


@dataclass
class MemberHistory:
    member: GroupMember
    attended: int
    held: int | None  # None for a standing group, which holds no activities of a piece of work

    @property
    def stayed(self) -> bool:
        return self.member.left_on is None


@dataclass
class Person:
    """Someone across groups: the same account, or the same name and contact."""

    name: str
    places: list[MemberHistory] = field(default_factory=list)

    @property
    def groups(self) -> list[Group]:
        return [place.member.group for place in self.places]


@dataclass
class Relationships:
    members: list[MemberHistory]
    by_year: list[dict[str, int]]
    continuing: list[Person]
    stayed: int
    left: int


def person_key(member: GroupMember) -> tuple:
    """Who someone is across groups: their account, else their name and how to reach them."""
    if member.membership_id:
        return ("account", member.membership_id)
    return ("no-account", member.name.strip().casefold(), member.contact.strip().casefold())


def relationships(
    organisation: Organisation, group: Group | None = None, *, among: GroupQuerySet | None = None
) -> Relationships:
    """Who stayed, who left, attendance and continuity, in four queries.

    `among`, a query of groups, keeps to those groups: the ones the reader may see.
    """
    from withpeople.works.models import Activity, Participation

    members_qs = GroupMember.objects.for_organisation(organisation).select_related("group")
    activities_qs = Activity.objects.counted().filter(work__organisation=organisation)
    participations_qs = Participation.objects.filter(
        member__group__organisation=organisation, activity__withdrawn_at__isnull=True
    )
    if group is not None:
        members_qs = members_qs.filter(group=group)
        activities_qs = activities_qs.filter(work__group=group)
        participations_qs = participations_qs.filter(member__group=group)
    if among is not None:
        members_qs = members_qs.filter(group__in=among)
        activities_qs = activities_qs.filter(work__group__in=among)
        participations_qs = participations_qs.filter(member__group__in=among)
    members = list(members_qs.order_by("group__name", "joined_on", "name", "pk"))
    dates_by_group: defaultdict[int, list[dt.date]] = defaultdict(list)
    for group_id, date in activities_qs.values_list("work__group_id", "date"):
        dates_by_group[group_id].append(date)
    attended: defaultdict[int, list[dt.date]] = defaultdict(list)
    for member_id, date in participations_qs.values_list("member_id", "activity__date"):
        attended[member_id].append(date)

    histories = [
        MemberHistory(
            member=member,
            attended=len(attended[member.pk]),
            held=(
                None
                if member.group.kind == GroupKind.STANDING
                else values.held_while_member(
                    dates_by_group[member.group_id],
                    member.joined_on,
                    member.left_on,
                    attended[member.pk],
                )
            ),
        )
        for member in members
    ]
    people: dict[tuple, Person] = {}
    for history in histories:
        person = people.setdefault(person_key(history.member), Person(history.member.name))
        person.places.append(history)
    continuing = sorted(
        (p for p in people.values() if len({h.member.group_id for h in p.places}) > 1),
        key=lambda p: p.name.casefold(),
    )
    return Relationships(
        members=histories,
        by_year=values.membership_by_year(
            ((m.joined_on, m.left_on) for m in members), timezone.localdate()
        ),
        continuing=continuing,
        stayed=sum(1 for h in histories if h.stayed),
        left=sum(1 for h in histories if not h.stayed),
    )


# --- The values dashboards -----------------------------------------------------------------------


def recognition_figures(*, organisation: Organisation, work=None) -> dict[str, Any] | None:
    """Partners' time recognised the way they chose, from the recognition app.

    `partner_time_recognised` gives `partner_minutes` and `recognised_minutes`; the share is
    worked out by the same pure rule as every other share on the dashboard.
    """
    time = partner_time_recognised(work=work, organisation=organisation) or {}
    recorded = time.get("partner_minutes") or 0
    recognised = time.get("recognised_minutes") or 0
    if not recorded:
        return None
    return {
        # Minutes, shown in hours and minutes as the time and payments pages show them.
        "recorded_minutes": recorded,
        "recognised_minutes": recognised,
        "percent": values.time_recognised_percent(recognised, recorded),
    }


def diversity_figures(*, organisation: Organisation, work=None) -> list[dict[str, Any]] | None:
    """The suppressed diversity summary from the diversity app."""
    from withpeople.diversity.selectors import diversity_summary

    return diversity_summary(organisation=organisation, work=work) or None


def work_dashboard(work) -> dict[str, Any]:
    """The values of one piece of work, as its stored assessment gives them, with counts made in
    the database: the same figures as the work record's, in a few queries whatever its size."""
    from withpeople.works.models import Activity, Decision, WorkAssessment

    stored = (
        WorkAssessment.objects.filter(work=work).values_list("assessment__work", flat=True).first()
    )
    if stored is None:  # never, once migrated; `withpeople assessments check` says so
        from withpeople.works.selectors import assessment_for

        stored = assessment_for(work)["work"]
    figures = dict(stored["values"])
    flags = stored["flags"]
    # The record keeps everyone who was ever in the group, as evidence over time; who chairs
    # the group is about the group now, as on the organisation's dashboard: a partner chair
    # who has left no longer shares the chair.
    figures["partner_chairs"] = values.chairs_include_partner(
        GroupMember.objects.filter(group_id=work.group_id)
        .current()
        .values_list("perspective", "role")
    )
    # A place is someone of the work's group at an activity that counts, as in the record.
    activities = Activity.objects.counted().filter(work=work)
    counted = activities.aggregate(
        activities=Count("pk", distinct=True),
        places=Count("participations", filter=Q(participations__member__group_id=work.group_id)),
    )
    decisions = Decision.objects.counted().filter(work=work).count()
    return {
        "values": figures,
        "places": counted["places"],
        "activities": counted["activities"],
        "decisions": decisions,
        "decisions_with_feedback": decisions - figures["decisions_without_feedback"],
        "frontline_took_part": NO_FRONTLINE_STAFF not in flags,
        "back_office_took_part": NO_BACK_OFFICE_STAFF not in flags,
        "openness_published": work.openness_published_at is not None,
        "agreement_published": WorkingAgreement.objects.filter(
            group_id=work.group_id, published_at__isnull=False
        ).exists(),
        "recognition": recognition_figures(organisation=work.organisation, work=work),
        "diversity": diversity_figures(organisation=work.organisation, work=work),
    }


def organisation_dashboard(organisation: Organisation) -> dict[str, Any]:
    """The values across all an organisation's pieces of work and groups.

    They count every participation, decision and time record of the organisation, which at the
    size of a county council is tens of thousands of rows: so they are drawn once per version of
    the organisation's data and kept (withpeople.organisations.figures). The token is read
    first, so what is kept under it is never older than it.
    """
    version = figures_version(organisation.pk)
    if version is None:
        return drawn_organisation_dashboard(organisation)
    return fragments.kept(
        ("values-dashboard", organisation.pk, version),
        lambda: drawn_organisation_dashboard(organisation),
    )


def drawn_organisation_dashboard(organisation: Organisation) -> dict[str, Any]:
    """The values across all an organisation's pieces of work and groups, each counted in the
    database: a few queries of a few rows each, whatever the number of activities and decisions.

    Like a piece of work's figures, they leave out withdrawn activities and decisions.
    """
    from withpeople.works.models import Decision, Participation, Work

    places = 0
    partner_places = 0
    works_by_perspective: dict[str, int] = {}
    for perspective, count, works_count in (
        Participation.objects.filter(
            activity__work__organisation=organisation, activity__withdrawn_at__isnull=True
        )
        .values("member__perspective")
        .annotate(count=Count("pk"), works=Count("activity__work_id", distinct=True))
        .values_list("member__perspective", "count", "works")
    ):
        places += count
        partner_places += count if is_partner(perspective) else 0
        works_by_perspective[perspective] = works_count

    members = GroupMember.objects.for_organisation(organisation).current()
    # Which (perspective, role) pairs share the chair is the pure rule's to say.
    chairing = [
        pair
        for pair in members.order_by().values_list("perspective", "role").distinct()
        if values.chairs_include_partner([pair])
    ]
    # Counted from the organisation's groups, each looked up in its own members: only this
    # organisation's rows are read.
    chaired = (
        Group.objects.for_organisation(organisation)
        .filter(
            Exists(
                GroupMember.objects.current().filter(
                    reduce(
                        operator.or_,
                        (Q(perspective=perspective, role=role) for perspective, role in chairing),
                    ),
                    group_id=OuterRef("pk"),
                )
            )
        )
        .count()
        if chairing
        else 0
    )

    decisions = Decision.objects.counted().filter(work__organisation=organisation)
    waits: dict[int, int] = {}
    for wait, count in (
        decisions.filter(feedback_given_on__isnull=False)
        .annotate(
            wait=ExpressionWrapper(F("feedback_given_on") - F("date"), output_field=DurationField())
        )
        .values("wait")
        .annotate(count=Count("pk"))
        .values_list("wait", "count")
    ):
        days = wait.days if isinstance(wait, dt.timedelta) else int(wait)
        waits[days] = waits.get(days, 0) + count
    works = Work.objects.for_organisation(organisation).aggregate(
        count=Count("pk"),
        openness_published=Count("pk", filter=Q(openness_published_at__isnull=False)),
    )
    agreements_published = (
        WorkingAgreement.objects.for_organisation(organisation)
        .filter(published_at__isnull=False)
        .count()
    )
    return {
        "partner_share_percent": values.percent(partner_places, places),
        "places": places,
        "groups": Group.objects.for_organisation(organisation).count(),
        "groups_with_partner_chair": chaired,
        "decisions": decisions.count(),
        "decisions_with_feedback": sum(waits.values()),
        "median_days_to_feedback": values.lower_median_of_counts(waits),
        "works": works["count"],
        "works_with_frontline": works_by_perspective.get(Perspective.FRONTLINE_STAFF, 0),
        "works_with_back_office": works_by_perspective.get(Perspective.BACK_OFFICE_STAFF, 0),
        "openness_published": works["openness_published"],
        "agreements_published": agreements_published,
        "recognition": recognition_figures(organisation=organisation),
        "diversity": diversity_figures(organisation=organisation),
    }
