"""The figures as the pages computed them before they were stored or counted in the database:
row by row, in Python, from the work record. Tests compare the pages' figures with these."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from withpeople.diversity.models import DiversityAnswer, DiversityCategory
from withpeople.domain import money, values
from withpeople.domain.assessment import (
    NO_BACK_OFFICE_STAFF,
    NO_FRONTLINE_STAFF,
    assess_with_reasons,
    work_flags,
)
from withpeople.domain.diversity import PREFER_NOT_TO_SAY
from withpeople.domain.ladder import Perspective, is_partner
from withpeople.groups.models import Group, GroupMember, WorkingAgreement
from withpeople.organisations.models import Membership
from withpeople.recognition.models import ExpenseClaim, MoneyStatus, Payment
from withpeople.recognition.selectors import KIND_CLAIM, KIND_PAYMENT, FinanceRow, member_reference
from withpeople.values.selectors import diversity_figures, recognition_figures
from withpeople.works.models import Decision, Participation, Work
from withpeople.works.selectors import work_record_for


def work_page(work):
    """The plans and assessment the work's page showed: assessed afresh from the record."""
    record = work_record_for(work)
    return list(record.aspects), assess_with_reasons(record)


def work_dashboard(work) -> dict[str, Any]:
    record = work_record_for(work)
    figures = values.work_values(record)
    figures["partner_chairs"] = values.chairs_include_partner(
        GroupMember.objects.filter(group_id=work.group_id)
        .current()
        .values_list("perspective", "role")
    )
    flags = work_flags(record)
    return {
        "values": figures,
        "places": sum(len(activity.participants) for activity in record.activities),
        "activities": len(record.activities),
        "decisions": len(record.decisions),
        "decisions_with_feedback": len(record.decisions) - figures["decisions_without_feedback"],
        "frontline_took_part": NO_FRONTLINE_STAFF not in flags,
        "back_office_took_part": NO_BACK_OFFICE_STAFF not in flags,
        "openness_published": work.openness_published_at is not None,
        "agreement_published": WorkingAgreement.objects.filter(
            group_id=work.group_id, published_at__isnull=False
        ).exists(),
        "recognition": recognition_figures(organisation=work.organisation, work=work),
        "diversity": diversity_figures(organisation=work.organisation, work=work),
    }


def organisation_dashboard(organisation) -> dict[str, Any]:
    """As before, except that withdrawn activities' places are left out, as a work's are."""
    participations = Participation.objects.filter(
        activity__work__organisation=organisation, activity__withdrawn_at__isnull=True
    )
    perspectives = list(participations.values_list("member__perspective", flat=True))
    works_by_perspective: defaultdict[str, set[int]] = defaultdict(set)
    for work_id, perspective in participations.values_list(
        "activity__work_id", "member__perspective"
    ).distinct():
        works_by_perspective[perspective].add(work_id)
    chaired = {
        group_id
        for group_id, perspective, role in GroupMember.objects.for_organisation(organisation)
        .current()
        .values_list("group_id", "perspective", "role")
        if values.chairs_include_partner([(perspective, role)])
    }
    decisions = list(
        Decision.objects.counted()
        .filter(work__organisation=organisation)
        .values_list("date", "feedback_given_on")
    )
    waits = values.days_to_feedback(decisions)
    works = Work.objects.for_organisation(organisation)
    return {
        "partner_share_percent": values.percent(
            sum(1 for p in perspectives if is_partner(p)), len(perspectives)
        ),
        "places": len(perspectives),
        "groups": len(list(Group.objects.for_organisation(organisation))),
        "groups_with_partner_chair": len(chaired),
        "decisions": len(decisions),
        "decisions_with_feedback": len(waits),
        "median_days_to_feedback": values.lower_median(waits),
        "works": works.count(),
        "works_with_frontline": len(works_by_perspective[Perspective.FRONTLINE_STAFF]),
        "works_with_back_office": len(works_by_perspective[Perspective.BACK_OFFICE_STAFF]),
        "openness_published": works.filter(openness_published_at__isnull=False).count(),
        "agreements_published": WorkingAgreement.objects.for_organisation(organisation)
        .filter(published_at__isnull=False)
        .count(),
        "recognition": recognition_figures(organisation=organisation),
        "diversity": diversity_figures(organisation=organisation),
    }


def diversity_answer_counts(organisation) -> tuple[dict, dict]:
    categories = list(DiversityCategory.objects.for_organisation(organisation))
    memberships = Membership.objects.for_organisation(organisation).filter(
        diversity_consent__isnull=False
    )
    answers = list(
        DiversityAnswer.objects.filter(
            category__organisation=organisation, membership__in=memberships
        ).values_list("membership_id", "category_id", "option_id")
    )
    groups_of: dict[int, list[int]] = {}
    for membership_id, group_id in GroupMember.objects.filter(
        group__organisation=organisation, membership__in=memberships, left_on__isnull=True
    ).values_list("membership_id", "group_id"):
        groups_of.setdefault(membership_id, []).append(group_id)
    whole: dict[int, Counter] = {category.pk: Counter() for category in categories}
    parts: dict[int, dict[int, Counter]] = {}
    for membership_id, category_id, option_id in answers:
        key = PREFER_NOT_TO_SAY if option_id is None else str(option_id)
        whole[category_id][key] += 1
        for group_id in groups_of.get(membership_id, ()):
            part = parts.setdefault(group_id, {c.pk: Counter() for c in categories})
            part[category_id][key] += 1
    return whole, parts


def finance_rows(*, organisation, start, end) -> list[FinanceRow]:
    """The rows, sorted in Python; a person's reference number orders two people of one name
    in groups of one name (it once did as text, "P10" before "P9")."""
    rows: list[FinanceRow] = []
    for payment in (
        Payment.objects.for_organisation(organisation)
        .filter(date__range=(start, end))
        .select_related("member__group")
    ):
        rows.append(
            FinanceRow(
                person=payment.member.name,
                reference=member_reference(payment.member_id),
                group=payment.member.group.name,
                kind=str(KIND_PAYMENT),
                category=str(payment.get_method_display()),
                date=payment.date,
                amount=payment.amount,
                status=str(payment.get_status_display()),
            )
        )
    for claim in (
        ExpenseClaim.objects.for_organisation(organisation)
        .filter(date__range=(start, end))
        .exclude(status=MoneyStatus.REJECTED)
        .select_related("member__group", "category")
    ):
        rows.append(
            FinanceRow(
                person=claim.member.name,
                reference=member_reference(claim.member_id),
                group=claim.member.group.name,
                kind=str(KIND_CLAIM),
                category=claim.category.name,
                date=claim.date,
                amount=claim.amount,
                status=str(claim.get_status_display()),
            )
        )
    rows.sort(
        key=lambda row: (
            row.person.lower(),
            row.group.lower(),
            int(row.reference[1:]),
            row.date,
            row.kind,
        )
    )
    return rows


def finance_totals(rows: list[FinanceRow]) -> dict[str, Any]:
    return {
        "per_person": dict(money.totals_by((row.reference, row.amount) for row in rows)),
        "total": money.total(row.amount for row in rows),
        "rows": len(rows),
    }
