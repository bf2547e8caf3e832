"""Demo pieces of work for Example Council.

Between them they show every rung of the ladder and every flag, so that every part of the
assessment can be seen and tried: see `tests/test_demo.py`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from withpeople.core.demo import register_demo_step
from withpeople.domain.work_record import PARTNER_PARTS
from withpeople.groups.models import Group
from withpeople.organisations.models import Membership, Organisation
from withpeople.works import services
from withpeople.works.assessments import assessments_deferred
from withpeople.works.models import CheckinRound, CheckinTally, Work

D = dt.date

LD_STRATEGY = {
    "title": "Learning disability strategy 2026\N{EN DASH}2030",
    "level": "strategic",
    "status": "in_progress",
    "summary": (
        "Our strategy for the next five years, written with people with a learning "
        "disability, their families and the people who support them."
    ),
    "starts_on": D(2025, 9, 1),
    "ends_on": D(2026, 6, 30),
    "published": True,
    "leads": ["staff"],
    "plans": {
        "deciding": (
            "engagement",
            "statutory_decision",
            "The council's cabinet must approve the strategy and its budget by law. The "
            "group's recommendations go to cabinet in full, with the group's own words.",
        )
    },
    "people": [
        ("Pat", "lived_experience", "co_chair", "partner"),
        ("Jo", "lived_experience", "member", None),
        ("Amir", "carer", "member", None),
        ("Grace", "carer", "member", None),
        ("Sam", "commissioner", "co_chair", "staff"),
        ("Dev", "frontline_staff", "member", None),
        ("Helen", "back_office_staff", "member", None),
    ],
    "activities": [
        (
            "understanding",
            D(2025, 9, 20),
            "workshop",
            "What matters to you: first workshop",
            ["Pat", "Jo", "Amir", "Dev", "Helen"],
            ["views_sought", "partners_shaped_agenda", "partners_generated_options"],
        ),
        (
            "understanding",
            D(2025, 10, 15),
            "delivery_task",
            "Peer interviews led by the group",
            ["Pat", "Jo", "Grace"],
            ["partners_delivered", "partners_shaped_agenda"],
        ),
        (
            "designing",
            D(2025, 11, 5),
            "working_group",
            "Options for housing and day support",
            ["Pat", "Amir", "Dev", "Helen"],
            ["views_sought", "partners_generated_options"],
        ),
        (
            "deciding",
            D(2026, 1, 12),
            "meeting",
            "Draft priorities meeting",
            ["Pat", "Grace", "Sam"],
            ["views_sought", "informed_of_decisions"],
        ),
        (
            "reviewing",
            D(2026, 2, 2),
            "survey",
            "Survey on the draft strategy",
            ["Jo", "Amir", "Dev"],
            ["views_sought"],
        ),
    ],
    "decisions": [
        (
            "understanding",
            D(2025, 10, 30),
            "The group agreed the six things that matter most.",
            "jointly",
            False,
            "",
            D(2025, 11, 5),
        ),
        (
            "designing",
            D(2025, 12, 1),
            "Housing options shortlisted for the strategy.",
            "jointly",
            False,
            "",
            D(2025, 12, 8),
        ),
        (
            "deciding",
            D(2026, 2, 20),
            "Cabinet approved the priorities.",
            "organisation_after_views",
            True,
            "Employment support was added as a priority.",
            D(2026, 2, 27),
        ),
        (
            "reviewing",
            D(2026, 3, 1),
            "The review will be yearly.",
            "organisation_alone",
            False,
            "",
            None,
        ),
    ],
    "checkins": {
        "understanding": {
            "partners": ["co-production", "co-production", "co-design"],
            "staff": ["co-production", "co-production", "co-production"],
        },
        "designing": {
            "partners": ["co-design", "co-design", "engagement"],
            "staff": ["co-design", "co-production", "co-design"],
        },
    },
}

CARERS_ASSESSMENT = {
    "title": "Redesigning the carers' assessment",
    "level": "service_design",
    "status": "in_progress",
    "summary": "Making the carers' assessment shorter, kinder and easier to ask for.",
    "starts_on": D(2025, 11, 1),
    "ends_on": D(2026, 9, 30),
    "published": False,
    "leads": ["staff"],
    "plans": {},
    "people": [
        ("Pat", "lived_experience", "member", "partner"),
        ("Maria", "carer", "chair", None),
        ("Tom", "carer", "member", None),
        ("Lin", "carer", "member", None),
        ("Sam", "commissioner", "member", "staff"),
        ("Alex", "manager", "member", "admin"),
        ("Priya", "frontline_staff", "member", None),
    ],
    "activities": [
        (
            "understanding",
            D(2025, 11, 20),
            "survey",
            "Carers' survey",
            ["Maria", "Tom", "Lin", "Priya"],
            ["views_sought"],
        ),
        (
            "designing",
            D(2026, 1, 10),
            "event",
            "Drop-in to share the new form",
            ["Maria", "Tom", "Priya"],
            ["informed_of_decisions"],
        ),
        (
            "deciding",
            D(2026, 1, 25),
            "meeting",
            "Briefing on how assessments are decided",
            ["Maria", "Priya"],
            ["explained_services"],
        ),
        ("delivering", D(2026, 3, 2), "meeting", "Launch event", ["Tom", "Lin", "Priya"], []),
    ],
    "decisions": [
        (
            "designing",
            D(2026, 1, 5),
            "The new form has four sections, not nine.",
            "organisation_alone",
            False,
            "",
            D(2026, 1, 10),
        ),
    ],
    "checkins": {
        "understanding": {
            "partners": ["informing", "consultation", "consultation"],
            "staff": ["co-production", "co-production", "co-design"],
        },
    },
    "open_round": "Spring 2026",
}

DAY_OPPORTUNITIES = {
    "title": "Day opportunities recommissioning",
    "level": "service_design",
    "status": "planning",
    "summary": "Choosing who provides day opportunities from 2027, with the people who use them.",
    "starts_on": D(2026, 1, 1),
    "ends_on": D(2027, 3, 31),
    "published": True,
    # Led by a partner: Pat, who uses day services, plans the work with the commissioners.
    "leads": ["partner"],
    "plans": {
        "deciding": (
            "consultation",
            "legal_duty",
            "Procurement law requires council officers to score the bids and award the "
            "contract. People who use day services help write the questions and score the "
            "answers to them, but cannot make the award.",
        ),
        "delivering": (
            "co-design",
            "other",
            "Providers deliver the service under contract. People help design how it runs "
            "and check it through quality visits.",
        ),
    },
    "people": [
        ("Chris", "lived_experience", "chair", None),
        ("Pat Partner", "lived_experience", "member", "partner"),
        ("Bea", "lived_experience", "member", None),
        ("Ola", "carer", "member", None),
        ("Ray", "commissioner", "member", None),
        ("Nina", "back_office_staff", "member", None),
    ],
    "activities": [
        (
            "understanding",
            D(2026, 1, 20),
            "workshop",
            "What a good day looks like",
            ["Chris", "Bea", "Ola", "Ray", "Nina"],
            ["views_sought", "partners_generated_options"],
        ),
        (
            "deciding",
            D(2026, 2, 15),
            "working_group",
            "Writing the tender questions",
            ["Chris", "Bea", "Nina"],
            ["views_sought"],
        ),
    ],
    "decisions": [
        (
            "understanding",
            D(2026, 2, 1),
            "The service specification keeps evening activities.",
            "organisation_after_views",
            True,
            "Partners asked for evenings; they were added.",
            D(2026, 2, 10),
        ),
    ],
    "checkins": {},
}

SUPPORT_PLAN = {
    "title": "My support plan review",
    "level": "individual",
    "status": "finished",
    "summary": "Reviewing one person's support plan with them and the people who matter to them.",
    "starts_on": D(2026, 2, 1),
    "ends_on": D(2026, 3, 15),
    "published": False,
    "leads": [],
    "plans": {},
    "people": [
        ("Kim", "lived_experience", "chair", None),
        ("Kim's sister", "carer", "member", None),
        ("Social worker", "frontline_staff", "member", None),
        ("Finance officer", "back_office_staff", "member", None),
    ],
    "activities": [
        (
            "understanding",
            D(2026, 2, 3),
            "meeting",
            "Conversation about a good week",
            ["Kim", "Kim's sister", "Social worker"],
            ["partners_shaped_agenda", "partners_generated_options", "partners_delivered"],
        ),
        (
            "designing",
            D(2026, 2, 10),
            "meeting",
            "Planning the budget together",
            ["Kim", "Social worker", "Finance officer"],
            ["partners_shaped_agenda", "partners_generated_options", "partners_delivered"],
        ),
        (
            "delivering",
            D(2026, 3, 1),
            "delivery_task",
            "Kim chose and booked her own support",
            ["Kim"],
            ["partners_delivered", "partners_shaped_agenda", "partners_generated_options"],
        ),
    ],
    "decisions": [
        (
            "understanding",
            D(2026, 2, 5),
            "Kim's goals for the year.",
            "partners",
            False,
            "",
            D(2026, 2, 5),
        ),
        (
            "designing",
            D(2026, 2, 12),
            "How the personal budget is spent.",
            "jointly",
            False,
            "",
            D(2026, 2, 12),
        ),
        (
            "delivering",
            D(2026, 3, 1),
            "Which personal assistant to employ.",
            "partners",
            False,
            "",
            D(2026, 3, 1),
        ),
    ],
    "checkins": {},
}

DEMO_WORKS = (LD_STRATEGY, CARERS_ASSESSMENT, DAY_OPPORTUNITIES, SUPPORT_PLAN)


@register_demo_step("works", order=20)
def create_demo_works(organisation: Organisation, people: dict) -> None:
    """Replace the demo pieces of work, so the demo can run again on the same database."""
    titles = [spec["title"] for spec in DEMO_WORKS]
    old = Work.objects.for_organisation(organisation).filter(title__in=titles)
    group_ids = list(old.values_list("group_id", flat=True))
    old.delete()
    Group.objects.filter(pk__in=group_ids).delete()
    memberships = {
        key: Membership.objects.get(organisation=organisation, user=user)
        for key, user in people.items()
    }
    for spec in DEMO_WORKS:
        _create(organisation, spec, memberships)


def _create(organisation: Organisation, spec: dict, memberships: dict) -> Work:
    # The first lead records everything, so every page says who recorded it and when.
    lead = memberships[spec["leads"][0]] if spec["leads"] else None
    by = {"actor": lead.user if lead else None, "recorded_by": lead}
    with assessments_deferred():  # computed once, when the piece of work is complete
        work = services.work_create(
            actor=by["actor"],
            organisation=organisation,
            title=spec["title"],
            level=spec["level"],
            summary=spec["summary"],
            status=spec["status"],
            starts_on=spec["starts_on"],
            ends_on=spec["ends_on"],
            leads=[memberships[key] for key in spec["leads"]],
        )
        aspects = {aspect.key: aspect for aspect in work.aspects.all()}
        for key, (rung, category, explanation) in spec["plans"].items():
            aspect = aspects[key]
            services.aspect_update(
                aspect=aspect,
                name=aspect.name,
                intended_rung=rung,
                reason_category=category,
                reason_explanation=explanation,
                change_reason="Planned with the group",
                **by,
            )
        members = {
            name: services.work_member_add(
                work=work,
                name=name,
                perspective=perspective,
                role=role,
                membership=memberships[account] if account else None,
            )
            for name, perspective, role, account in spec["people"]
        }
        for key, date, kind, title, who, parts in spec["activities"]:
            services.activity_save(
                work=work,
                aspect=aspects[key],
                date=date,
                kind=kind,
                title=title,
                participants=[members[name] for name in who],
                **by,
                **dict.fromkeys(parts, True),
            )
        for key, date, summary, decided_by, changed, change, told in spec["decisions"]:
            services.decision_save(
                work=work,
                aspect=aspects[key],
                date=date,
                summary=summary,
                decided_by=decided_by,
                partner_input_changed_it=changed,
                change=change,
                feedback_given_on=told,
                **by,
            )
        if spec["checkins"]:
            # Answers as a closed round holds them: counted, with no names, only partner or staff.
            now = timezone.now()
            closed = CheckinRound.objects.create(
                work=work, name="Winter 2025", opened_at=now, closed_at=now
            )
            counts = Counter(
                (
                    key,
                    services.PARTNER_ANSWER_PERSPECTIVE
                    if side == "partners"
                    else services.STAFF_ANSWER_PERSPECTIVE,
                    rung,
                )
                for key, sides in spec["checkins"].items()
                for side, rungs in sides.items()
                for rung in rungs
            )
            CheckinTally.objects.bulk_create(
                CheckinTally(
                    round=closed,
                    aspect=aspects[key],
                    perspective=perspective,
                    rung=rung,
                    count=count,
                )
                for (key, perspective, rung), count in counts.items()
            )
        if spec.get("open_round"):
            services.checkin_round_open(work=work, name=spec["open_round"])
        if spec["published"]:
            services.work_publish(work=work, actor=by["actor"], published_by=lead)
        if spec is CARERS_ASSESSMENT and lead is not None:
            _correct_and_withdraw(work, lead)
    return work


def _correct_and_withdraw(work: Work, lead: Membership) -> None:
    """A correction with its reason, and an entry withdrawn with its reason, for the history.
    Neither changes what counts as evidence: the correction is to the notes, and the withdrawn
    entry was recorded twice."""
    first = work.activities.order_by("date", "id").first()
    fields = {
        "work": work,
        "aspect": first.aspect,
        "date": first.date,
        "kind": first.kind,
        "title": first.title,
        "participants": list(first.participants.all()),
        **{part: getattr(first, part) for part in PARTNER_PARTS},
    }
    services.activity_save(
        **fields,
        activity=first,
        notes="Held at the carers' centre, with a hearing loop.",
        actor=lead.user,
        change_reason="Added where it was held",
    )
    twice = services.activity_save(**fields, actor=lead.user, recorded_by=lead)
    services.activity_withdraw(
        activity=twice, actor=lead.user, reason="Recorded twice by mistake", withdrawn_by=lead
    )
