"""Demo groups for Example Council: a co-production board, working agreements, access needs.

Runs after the demo pieces of work (order 20), whose groups it adds agreements and needs to.
It replaces its own data, so the demo can run again on the same database.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from withpeople.core.demo import register_demo_step
from withpeople.groups import services
from withpeople.groups.models import AgreementVersion, Group, GroupKind, GroupMember
from withpeople.organisations.models import Membership, Organisation

D = dt.date
BOARD = "Co-production board"

BOARD_MEMBERS = [
    # name, perspective, role, account, contact, joined, left
    ("Pat", "lived_experience", "chair", "partner", "", D(2024, 3, 1), None),
    ("Maria", "carer", "co_chair", None, "maria@example.net", D(2024, 3, 1), None),
    ("Sam", "commissioner", "member", "staff", "", D(2024, 3, 1), None),
    ("Alex", "manager", "member", "admin", "", D(2024, 9, 1), None),
    ("Dev", "frontline_staff", "member", None, "07700 900123", D(2024, 3, 1), None),
    ("Ken", "lived_experience", "member", None, "", D(2024, 3, 1), D(2025, 6, 30)),
    ("Rita", "back_office_staff", "member", None, "", D(2024, 9, 1), D(2025, 12, 31)),
]

BOARD_AGREEMENT = {
    "meaning": (
        "We are a board of equals. People who use services, carers and council staff decide "
        "together how the council co-produces its work.\n"
        "Everyone's experience counts the same."
    ),
    "aims": "Every new piece of work starts at co-production.\nWe check each year how we did.",
    "ways_of_working": (
        "We meet every two months, in the daytime.\n"
        "Papers go out a week before, in easy read too.\n"
        "Anyone can add to the agenda."
    ),
    "decisions_shared": "Which pieces of work the board follows.\nHow the board spends its budget.",
    "decisions_not_shared": (
        "Decisions about one person's care: they are confidential.\n"
        "Contract awards: procurement law says officers make them."
    ),
    "resources_shared": "A budget of £5,000 a year for the board's own work.",
    "who_does_what": "Pat chairs. Maria co-chairs. Sam writes up the notes.",
    "support": (
        "Partners are paid £25 an hour or get vouchers, as they choose.\n"
        "Travel and care costs are paid."
    ),
    "review_on": D(2025, 3, 1),
}

BOARD_AGREEMENT_V2 = BOARD_AGREEMENT | {
    "ways_of_working": (
        "We meet every two months, in the daytime.\n"
        "Papers go out a week before, in easy read too.\n"
        "Anyone can add to the agenda.\n"
        "Members can join online or by phone."
    ),
    "resources_shared": (
        "A budget of £5,000 a year for the board's own work.\n"
        "The council's feedback data, every quarter."
    ),
    "review_on": D(2026, 3, 1),
}

LD_AGREEMENT = {
    "meaning": "People with a learning disability and their families shape the strategy with us.",
    "aims": "A strategy people recognise as theirs.",
    "ways_of_working": "Workshops in accessible places.\nEasy read papers for every meeting.",
    "decisions_shared": "What the strategy's priorities are.",
    "decisions_not_shared": "The final approval: by law, the council's cabinet approves it.",
    "resources_shared": "The budget for the engagement work.",
    "who_does_what": "Sam organises the workshops. Pat and Sam co-chair.",
    "support": "Payment for time, travel costs, support workers welcome.",
    "review_on": D(2026, 1, 31),
}

LD_AGREEMENT_V2 = LD_AGREEMENT | {
    "decisions_not_shared": (
        "The final approval: by law, the council's cabinet approves it.\n"
        "The group's recommendations go to cabinet in the group's own words."
    ),
    "review_on": D(2026, 6, 30),
}


@register_demo_step("groups", order=30)
def create_demo_groups(organisation: Organisation, people: dict) -> None:
    memberships = {
        key: Membership.objects.get(organisation=organisation, user=user)
        for key, user in people.items()
    }
    Group.objects.for_organisation(organisation).filter(
        name=BOARD, kind=GroupKind.STANDING
    ).delete()
    board = services.group_create(
        organisation=organisation,
        name=BOARD,
        purpose="Partners and staff who oversee how Example Council co-produces its work.",
    )
    members = {}
    for name, perspective, role, account, contact, joined, left in BOARD_MEMBERS:
        member = services.group_member_add(
            group=board,
            membership=memberships[account] if account else None,
            name=name,
            contact=contact,
            perspective=perspective,
            role=role,
            joined_on=joined,
        )
        if left:
            services.group_member_end(member=member, left_on=left)
        members[name] = member

    _agreement(
        board,
        [BOARD_AGREEMENT, BOARD_AGREEMENT_V2],
        author=memberships["staff"],
        agreed={1: [members["Pat"], members["Sam"], members["Ken"]], 2: [members["Pat"]]},
        publish=True,
        change_note="Added how members can join, and the data we share.",
    )

    ld_group = (
        Group.objects.for_organisation(organisation)
        .filter(work__title__startswith="Learning disability strategy")
        .first()
    )
    if ld_group is not None:
        ld_members = {m.name: m for m in ld_group.members.all()}
        _agreement(
            ld_group,
            [LD_AGREEMENT, LD_AGREEMENT_V2],
            author=memberships["partner"],
            agreed={
                1: [m for n, m in ld_members.items() if n in {"Pat", "Sam"}],
                2: [m for n, m in ld_members.items() if n == "Sam"],
            },
            publish=False,
            change_note="Said how the group's recommendations reach cabinet.",
        )
        _needs_of_member(organisation, ld_members.get("Jo"), ["british_sign_language"])
        _needs_of_member(
            organisation, ld_members.get("Amir"), ["interpreter"], interpreter_language="Polish"
        )
        # Sam Staff organises the strategy's activities, so sees the needs of those attending.
        for activity in ld_group.work.activities.all():
            activity.organisers.add(memberships["staff"])

    _needs_of_member(
        organisation,
        members["Maria"],
        ["large_print", "meeting_times"],
        meeting_times_detail="Mornings, after 10am",
    )
    services.access_needs_save(
        organisation=organisation,
        membership=memberships["partner"],
        needs=["easy_read", "breaks"],
    )
    services.access_needs_save(
        organisation=organisation, membership=memberships["staff"], needs=["large_print"]
    )


def _agreement(group, versions, *, author, agreed, publish, change_note) -> None:
    earlier = timezone.now() - dt.timedelta(days=200)
    for number, sections in enumerate(versions, start=1):
        version = services.agreement_version_create(
            group=group,
            author=author,
            change_note="" if number == 1 else change_note,
            **sections,
        )
        if number < len(versions):
            AgreementVersion.objects.filter(pk=version.pk).update(created_at=earlier)
        for member in agreed.get(number, []):
            # Agreeing is only open for the latest version, so record earlier ones directly.
            version.consents.get_or_create(member=member)
    if publish:
        services.agreement_publish(agreement=group.agreement, published=True)


def _needs_of_member(organisation, member: GroupMember | None, needs, **details) -> None:
    if member is None or member.membership_id:
        return
    services.access_needs_save(
        organisation=organisation, group_member=member, needs=needs, **details
    )
