"""What notifications hold about a person: what they were told, emails to them, their choices.

Registered with `withpeople.core.personal_data` in `NotificationsConfig.ready()`. Erasure
deletes the person's notifications and outbox emails in that organisation (they are copies of
what other records say, kept for the person's own list); their choices go with their account.
"""

from __future__ import annotations

from typing import Any

from withpeople.core import personal_data
from withpeople.notifications.models import Notification, NotificationPreference, OutgoingEmail


def _told(notifications) -> list[dict[str, Any]]:
    return [
        {
            "kind": n.kind,
            "subject": n.subject,
            "told_at": n.created_at,
            "read_at": n.read_at,
            "sent": n.delivery,
        }
        for n in notifications.order_by("created_at", "pk")
    ]


def export_membership(membership, about_someone_else: bool) -> dict[str, Any]:
    mine = Notification.objects.filter(organisation=membership.organisation, user=membership.user)
    if about_someone_else:
        return {"notifications": {"count": mine.count()}}
    return {
        "notifications": _told(mine),
        "notification_choices": dict(
            NotificationPreference.objects.filter(user=membership.user).values_list(
                "kind", "delivery"
            )
        ),
    }


def _email_of(member) -> str:
    contact = (member.contact or "").strip().lower()
    return contact if "@" in contact else ""


def export_group_member(member) -> dict[str, Any]:
    email = _email_of(member)
    if not email or member.membership_id:
        return {}
    mine = Notification.objects.filter(
        organisation=member.group.organisation, email=email, user__isnull=True
    )
    return {"notifications": _told(mine)}


def erase_membership(membership) -> dict[str, int]:
    org, user = membership.organisation, membership.user
    emails, _ = OutgoingEmail.objects.filter(organisation=org, user=user).delete()
    told, _ = Notification.objects.filter(organisation=org, user=user).delete()
    return {"notifications": told, "outgoing_emails": emails}


def erase_group_member(member) -> None:
    email = _email_of(member)
    if not email:
        return
    org = member.group.organisation
    OutgoingEmail.objects.filter(organisation=org, to_email__iexact=email, user=None).delete()
    Notification.objects.filter(organisation=org, email=email, user=None).delete()
    NotificationPreference.objects.filter(user=None, email=email).delete()


def unlink_account(organisation, user) -> None:
    OutgoingEmail.objects.filter(organisation=organisation, user=user).delete()
    Notification.objects.filter(organisation=organisation, user=user).delete()


ENTRIES = [
    personal_data.PersonalData(
        name="notifications",
        models=(
            "notifications.Notification",
            "notifications.OutgoingEmail",
            "notifications.NotificationPreference",
        ),
        order=70,
        export_membership=export_membership,
        export_group_member=export_group_member,
        erase_membership=erase_membership,
        erase_group_member=erase_group_member,
        unlink_account=unlink_account,
    ),
]
