"""Who to tell in a group, each in the wording they need (easy read, from their needs)."""

from __future__ import annotations

from collections.abc import Iterable

from withpeople.groups.models import AccessNeeds, GroupMember
from withpeople.notifications.services import Recipient


def recipient_of_membership(membership) -> Recipient:
    easy_read = AccessNeeds.objects.filter(membership=membership, easy_read=True).exists()
    return Recipient.of_user(membership.user, easy_read=easy_read)


def recipients_of_members(members: Iterable[GroupMember]) -> list[Recipient]:
    """A recipient for each member with an account, or an email address as their contact."""
    members = list(members)
    easy = set(
        AccessNeeds.objects.filter(easy_read=True)
        .filter(membership__in=[m.membership_id for m in members if m.membership_id])
        .values_list("membership_id", flat=True)
    )
    easy_members = set(
        AccessNeeds.objects.filter(easy_read=True, group_member__in=members).values_list(
            "group_member_id", flat=True
        )
    )
    recipients = []
    for member in members:
        if member.membership_id:
            user = member.membership.user
            recipients.append(Recipient.of_user(user, easy_read=member.membership_id in easy))
        elif "@" in (member.contact or ""):
            recipients.append(
                Recipient(
                    email=member.contact.strip(),
                    name=member.name,
                    easy_read=member.pk in easy_members,
                )
            )
    return recipients


def easy_read_user_ids(organisation, users) -> set[int]:
    """The ids of `users` whose needs in `organisation` ask for easy read (for notify)."""
    return set(
        AccessNeeds.objects.for_organisation(organisation)
        .filter(easy_read=True, membership__user__in=users)
        .values_list("membership__user_id", flat=True)
    )
