"""Reads of diversity figures and of everything held about a person."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from withpeople.audit.models import AuditEvent
from withpeople.domain.diversity import PREFER_NOT_TO_SAY, question_figures
from withpeople.groups.models import AccessNeeds, AgreementConsent, GroupMember
from withpeople.groups.selectors import access_needs_for_download
from withpeople.organisations.models import Membership, Organisation
from withpeople.privacy.models import DiversityAnswer, DiversityCategory, DiversityConsent
from withpeople.recognition.selectors import personal_data_for_member
from withpeople.works.models import Participation


def _answer_counts(organisation: Organisation, categories, work=None) -> dict[int, Counter]:
    """{category id: Counter of option keys} over members who consented.

    With `work`, only the current members of the piece of work's group who have an account.
    """
    memberships = Membership.objects.for_organisation(organisation).filter(
        diversity_consent__isnull=False
    )
    if work is not None:
        memberships = memberships.filter(
            group_memberships__group_id=work.group_id,
            group_memberships__left_on__isnull=True,
        )
    answers = DiversityAnswer.objects.filter(
        category__organisation=organisation, membership__in=memberships
    ).values_list("category_id", "option_id")
    counts: dict[int, Counter] = {category.pk: Counter() for category in categories}
    for category_id, option_id in answers:
        key = PREFER_NOT_TO_SAY if option_id is None else str(option_id)
        counts[category_id][key] += 1
    return counts


def diversity_summary(*, organisation: Organisation, work=None) -> list[dict[str, Any]]:
    """Diversity figures per question, suppressed, beside the organisation's own targets.

    One entry per question, in order:
    `{"id", "name", "question", "target_description", "total", "suppressed_count",
    "options": [{"key", "label", "count", "percentage", "target_percentage", "suppressed"}]}`.
    `count`, `percentage` and `total` are None when suppressed. With `work`, only the answers of
    the current members of the piece of work's group who have an account are counted, and they
    are suppressed as a pair with the organisation's figures, so that subtracting one from the
    other tells nothing about the few people outside the group.
    Aggregates only: this is never personal data.
    """
    categories = list(
        DiversityCategory.objects.for_organisation(organisation).prefetch_related("options")
    )
    whole = _answer_counts(organisation, categories)
    counts = whole if work is None else _answer_counts(organisation, categories, work)
    summary = []
    for category in categories:
        options = [(str(option.pk), option.label) for option in category.options.all()]
        options.append((PREFER_NOT_TO_SAY, _("Prefer not to say")))
        targets = {str(o.pk): o.target_percentage for o in category.options.all()}
        figures = question_figures(
            options,
            counts[category.pk],
            targets=targets,
            whole_counts=None if work is None else whole[category.pk],
        )
        summary.append(
            {
                "id": category.pk,
                "name": category.name,
                "question": category.question,
                "target_description": category.target_description,
                "total": figures.total,
                "suppressed_count": figures.suppressed_count,
                "options": [
                    {
                        "key": option.key,
                        "label": option.label,
                        "count": option.count,
                        "percentage": option.percentage,
                        "target_percentage": option.target_percentage,
                        "suppressed": option.suppressed,
                    }
                    for option in figures.options
                ],
            }
        )
    return summary


def personal_data_for_membership(
    membership: Membership, *, about_someone_else: bool = False
) -> dict[str, Any]:
    """Everything held about one person in one organisation, for them to read or download.

    With `about_someone_else` (an admin answering a request for the person's data), the two
    things nobody else in the organisation may read are left out: their diversity answers
    ("nobody in the organisation can see my own answers, only I can", in the words they agreed
    to) and their access needs (seen only by them and the organisers of activities they attend).
    Only whether they are held is said, so the admin can tell the person where to find them.
    """
    organisation = membership.organisation
    user = membership.user
    group_members = list(
        membership.group_memberships.select_related("group").order_by("joined_on", "pk")
    )
    data: dict[str, Any] = {
        "organisation": organisation.name,
        "generated_at": timezone.now().isoformat(),
        "account": {"name": user.name, "email": user.email},
        "membership": {
            "role": membership.get_role_display(),
            "perspective": membership.get_perspective_display(),
            "joined_at": membership.joined_at.isoformat(),
        },
        "group_memberships": [_group_membership(gm) for gm in group_members],
        "activities": _activities(group_members),
        "agreements": _agreements(group_members),
        "access_needs": (
            {"recorded": AccessNeeds.objects.filter(membership=membership).exists()}
            if about_someone_else
            else access_needs_for_download(membership)
        ),
        "recognition": [
            {"group": gm.group.name, **personal_data_for_member(gm)} for gm in group_members
        ],
        "diversity": (
            _diversity_held(membership) if about_someone_else else _diversity(membership)
        ),
        "audit_events": [
            {
                "at": event.at.isoformat(),
                "action": event.action,
                "subject_type": event.subject_type,
                "subject_id": event.subject_id,
            }
            for event in AuditEvent.objects.for_organisation(organisation).filter(actor=user)
        ],
    }
    return data


def personal_data_for_group_member(member: GroupMember) -> dict[str, Any]:
    """Everything held about someone who takes part in a group without an account.

    They cannot sign in to download it, so an admin does it for them. As for anyone else's
    data seen by an admin, their access needs are only said to be recorded or not: the
    organisers of the activities they attend can go through them with the person. People
    without an account never answer diversity monitoring, so there is none.
    """
    return {
        "organisation": member.group.organisation.name,
        "generated_at": timezone.now().isoformat(),
        "group_memberships": [_group_membership(member)],
        "activities": _activities([member]),
        "agreements": _agreements([member]),
        "access_needs": {"recorded": AccessNeeds.objects.filter(group_member=member).exists()},
        "recognition": [{"group": member.group.name, **personal_data_for_member(member)}],
    }


def people_without_an_account(organisation: Organisation):
    """Group members who take part without an account, not yet replaced by "Former member"."""
    members = (
        GroupMember.objects.for_organisation(organisation)
        .filter(membership__isnull=True)
        .select_related("group")
        .order_by("name", "group__name", "pk")
    )
    return [m for m in members if not is_anonymised(m)]


def is_anonymised(member: GroupMember) -> bool:
    """True once a group member's name and contact details have been replaced."""
    return (
        member.membership_id is None
        and not member.contact
        and (member.name == former_member_name(member.pk))
    )


def former_member_name(pk: int) -> str:
    return _("Former member %(number)s") % {"number": pk}


def _group_membership(gm: GroupMember) -> dict[str, Any]:
    return {
        "group": gm.group.name,
        "name": gm.name,
        "contact": gm.contact,
        "perspective": gm.get_perspective_display(),
        "role": gm.get_role_display(),
        "joined_on": gm.joined_on.isoformat() if gm.joined_on else None,
        "left_on": gm.left_on.isoformat() if gm.left_on else None,
    }


def _activities(group_members) -> list[dict[str, Any]]:
    participations = (
        Participation.objects.filter(member__in=group_members)
        .select_related("activity", "activity__work")
        .order_by("activity__date", "pk")
    )
    return [
        {
            "piece_of_work": p.activity.work.title,
            "activity": str(p.activity),
            "kind": p.activity.get_kind_display(),
            "date": p.activity.date.isoformat(),
        }
        for p in participations
    ]


def _agreements(group_members) -> list[dict[str, Any]]:
    consents = (
        AgreementConsent.objects.filter(member__in=group_members)
        .select_related("version__agreement__group")
        .order_by("agreed_at", "pk")
    )
    return [
        {
            "group": consent.version.agreement.group.name,
            "version": consent.version.number,
            "agreed_at": consent.agreed_at.isoformat(),
            "recorded_by_staff": consent.on_their_behalf,
        }
        for consent in consents
    ]


def _diversity(membership: Membership) -> dict[str, Any]:
    consent = DiversityConsent.objects.filter(membership=membership).first()
    answers = DiversityAnswer.objects.filter(membership=membership).select_related(
        "category", "option"
    )
    return {
        "consent": (
            {"given_at": consent.given_at.isoformat(), "wording": consent.wording}
            if consent
            else None
        ),
        "answers": [
            {
                "question": answer.category.question,
                "answer": answer.option.label if answer.option else _("Prefer not to say"),
            }
            for answer in answers.order_by("category__position", "category_id")
        ],
    }


def _diversity_held(membership: Membership) -> dict[str, Any]:
    """Whether someone consented and how many answers are held: never what they answered."""
    return {
        "consent_given": DiversityConsent.objects.filter(membership=membership).exists(),
        "answers_held": DiversityAnswer.objects.filter(membership=membership).count(),
    }
