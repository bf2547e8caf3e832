"""More of everything the list pages show, for tests that the number of queries a page runs
does not grow with the number of rows (STYLE.md: assertNumQueries on list pages)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from withpeople.audit.services import audit_record
from withpeople.diversity.services import diversity_answers_save, diversity_consent_give
from withpeople.diversity.tests.factories import make_question
from withpeople.groups import services
from withpeople.groups.models import Group, GroupMember
from withpeople.groups.tests.access_cases import AGREEMENT
from withpeople.recognition import services as recognition
from withpeople.testing.factories import MembershipFactory
from withpeople.works.models import Activity, Aspect, Participation, Work

DAY = dt.date(2025, 3, 2)


@dataclass
class Base:
    group: Group
    work: Work
    partner_place: GroupMember
    offline: GroupMember


def base(organisation, members) -> Base:
    """One piece of work with its group, the partner in it, and a person without an account."""
    recognition.policy_update(organisation=organisation, updated_by=None, hourly_rate=Decimal("15"))
    make_question(organisation)
    work = _work(organisation, "Strategy")
    partner_place = GroupMember.objects.create(
        group=work.group, membership=members["partner"], name="Pat", perspective="carer"
    )
    offline = GroupMember.objects.create(
        group=work.group, name="Jo", contact="jo@example.net", perspective="carer"
    )
    services.agreement_version_create(group=work.group, author=None, **AGREEMENT)
    services.agreement_publish(agreement=work.group.agreement, published=True)
    add_rows(organisation, members, Base(work.group, work, partner_place, offline), count=1)
    return Base(work.group, work, partner_place, offline)


def _work(organisation, title) -> Work:
    group = Group.objects.create(organisation=organisation, name=title)
    work = Work.objects.create(
        organisation=organisation, group=group, title=title, level="strategic"
    )
    Aspect.objects.create(work=work, key="designing", name="Designing")
    return work


def add_rows(organisation, members, base: Base, *, count: int) -> None:
    """`count` more groups, members (with and without an account, in the base group too),
    activities, agreements, time, payments, claims, audit entries and diversity answers."""
    category = organisation.diversity_categories.first()
    option = category.options.first()
    version = base.group.agreement.versions.order_by("-number").first()
    travel, _created = recognition.ExpenseCategory.objects.get_or_create(
        organisation=organisation, name="Travel", defaults={"receipt_required": False}
    )
    n = Group.objects.for_organisation(organisation).count()
    for i in range(n, n + count):
        work = _work(organisation, f"Work {i}")
        membership = MembershipFactory(organisation=organisation)
        diversity_consent_give(membership=membership)
        diversity_answers_save(membership=membership, answers={category.pk: option})
        chair = GroupMember.objects.create(
            group=work.group,
            membership=membership,
            name=f"Chair {i}",
            perspective="carer",
            role="chair",
        )
        partner = GroupMember.objects.create(
            group=work.group, membership=members["partner"], name="Pat", perspective="carer"
        )
        in_base = GroupMember.objects.create(
            group=base.group, membership=membership, name=f"Member {i}", perspective="carer"
        )
        offline = GroupMember.objects.create(
            group=base.group, name=f"Offline {i}", contact=f"{i}@example.net", perspective="carer"
        )
        services.agreement_consent_record(version=version, member=in_base)
        for place, activity_work in ((chair, work), (in_base, base.work)):
            activity = Activity.objects.create(
                work=activity_work, aspect=activity_work.aspects.get(), date=DAY, kind="meeting"
            )
            activity.organisers.add(members["admin"])
            Participation.objects.create(activity=activity, member=place)
        for person in (partner, offline, base.partner_place, base.offline):
            record = recognition.time_record_create(
                organisation=organisation, member=person, date=DAY, minutes=60
            )
            recognition.payment_create(
                organisation=organisation,
                member=person,
                time_records=[record],
                method="bank_transfer",
            )
            recognition.expense_claim_create(
                organisation=organisation,
                member=person,
                category=travel,
                date=DAY,
                description="Bus",
                amount=Decimal("2.50"),
            )
        audit_record(organisation=organisation, actor=membership.user, action="viewed_payments")


def queries_for(client, url: str) -> int:
    """How many queries opening the page runs (after a first visit has set up the session),
    drawing everything afresh: with nothing kept (withpeople.core.fragments), as after a change
    to what the page shows."""
    assert client.get(url).status_code == 200, url
    caches["fragments"].clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def assert_queries_do_not_grow(client, url: str, grow: Callable[[], None], max_num_queries) -> None:
    """Opening `url` after `grow()` adds rows runs no more queries than before it did.

    `max_num_queries` is pytest-django's `django_assert_max_num_queries` fixture.
    """
    few = queries_for(client, url)
    grow()
    caches["fragments"].clear()
    with max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
