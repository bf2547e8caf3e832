"""Demo data for privacy: diversity questions with targets, consenting demo members, an audit
trail and retention settings.

The answers are chosen so the figures page shows shown counts and both kinds of suppression:
"Age" and "Ethnicity" have several counts below 5, which are hidden and nothing more (two or
more hidden counts cannot be told apart), and in "Disability" and "Carer" only "Prefer not to
say" is below 5, so the next smallest count is hidden with it (secondary suppression).
"""

from __future__ import annotations

from decimal import Decimal

from withpeople.accounts.models import User
from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent
from withpeople.audit.services import audit_record
from withpeople.core.demo import register_demo_step
from withpeople.domain.ladder import Perspective
from withpeople.organisations.models import Membership, Organisation, Role
from withpeople.privacy.models import (
    DiversityAnswer,
    DiversityCategory,
    DiversityConsent,
    DiversityOption,
    RetentionSettings,
)
from withpeople.privacy.services import consent_wording

DEMO_MEMBERS = 12
DEMO_AUDIT_DETAIL = "Example entry made by the demo."
PNTS = None  # "Prefer not to say"

# name, question, who we want to reach, [(answer, target %)], one answer per demo member.
QUESTIONS = [
    (
        "Age",
        "What is your age?",
        "People of every age who use adult social care, carers included. Most people who use "
        "our services are over 65, so we especially want older people's voices.",
        [("Under 25", "5"), ("25 to 49", "20"), ("50 to 64", "25"), ("65 and over", "50")],
        [0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2],
    ),
    (
        "Disability",
        "Do you consider yourself to be disabled?",
        "Most people who use our services are disabled, so we want most of the group to be too.",
        [("Yes", "60"), ("No", "40")],
        [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1],
    ),
    (
        "Carer",
        "Do you look after or support someone because of their health, disability or age?",
        "Carers are a third of the people we work with.",
        [("Yes", "33"), ("No", "67")],
        [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, PNTS],
    ),
    (
        "Ethnicity",
        "What is your ethnic group?",
        "The make-up of the borough at the 2021 Census.",
        [
            ("Asian or Asian British", "12"),
            ("Black, Black British, Caribbean or African", "6"),
            ("Mixed or multiple ethnic groups", "3"),
            ("White", "77"),
            ("Another ethnic group", "2"),
        ],
        [3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 1, 1],
    ),
]


@register_demo_step("privacy", order=45)
def privacy_demo(organisation: Organisation, people: dict) -> None:
    members = _demo_members(organisation)
    DiversityCategory.objects.for_organisation(organisation).delete()
    DiversityConsent.objects.for_organisation(organisation).delete()
    wording = consent_wording(organisation)
    DiversityConsent.objects.bulk_create(
        DiversityConsent(membership=member, wording=wording) for member in members
    )
    answers = []
    for position, (name, question, target, options, chosen) in enumerate(QUESTIONS, start=1):
        category = DiversityCategory.objects.create(
            organisation=organisation,
            name=name,
            question=question,
            target_description=target,
            position=position,
        )
        created = DiversityOption.objects.bulk_create(
            DiversityOption(
                category=category, label=label, target_percentage=Decimal(pct), position=i
            )
            for i, (label, pct) in enumerate(options, start=1)
        )
        for member, index in zip(members, chosen, strict=True):
            option = None if index is PNTS else created[index]
            answers.append(DiversityAnswer(membership=member, category=category, option=option))
    DiversityAnswer.objects.bulk_create(answers)

    RetentionSettings.objects.update_or_create(
        organisation=organisation,
        defaults={
            "left_group_months": 24,
            "failed_sign_in_days": 90,
            "audit_years": 6,
            "receipt_months": 72,
        },
    )

    AuditEvent.objects.for_organisation(organisation).filter(detail=DEMO_AUDIT_DETAIL).delete()
    admin = Membership.objects.get(organisation=organisation, user=people["admin"])
    partner = Membership.objects.get(organisation=organisation, user=people["partner"])
    for actor, action, subject in [
        (people["admin"], AuditEventKind.VIEWED_PERSONAL_DATA, partner),
        (people["admin"], AuditEventKind.EXPORTED_PERSONAL_DATA, partner),
        (people["partner"], AuditEventKind.VIEWED_PERSONAL_DATA, partner),
        (people["staff"], AuditEventKind.VIEWED_ACCESS_NEEDS, admin),
    ]:
        audit_record(
            organisation=organisation,
            actor=actor,
            action=action,
            subject=subject,
            detail=DEMO_AUDIT_DETAIL,
        )


def _demo_members(organisation: Organisation) -> list[Membership]:
    members = []
    perspectives = [Perspective.LIVED_EXPERIENCE.value, Perspective.CARER.value]
    for number in range(1, DEMO_MEMBERS + 1):
        email = f"demo{number}@example.org"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, name=f"Demo member {number}")
            user.set_unusable_password()
            user.save()
        membership, _created = Membership.objects.get_or_create(
            organisation=organisation,
            user=user,
            defaults={"role": Role.PARTNER, "perspective": perspectives[number % 2]},
        )
        members.append(membership)
    return members
