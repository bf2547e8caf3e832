"""Who may see and change whose time, payments and expenses.

Our choice, so that needs and payments are visible only to the person, the organisers and the
admins who should see them:

* **The person** sees their own time records, preferences, payments and claims, for every group
  membership linked to their account, and may record their own time, preference and claims.
* **Staff and admins of the organisation** see and manage everyone's: paying people and
  approving expenses is finance work that is not tied to one activity, and restricting it to
  the organisers of each activity would leave time given outside activities (reading papers)
  with nobody able to pay it.
* **Other partners** see nothing of anyone else's: a page about another person gives 404.
* **Members of other organisations** get 404 everywhere; **anonymous people** are sent to sign in
  (both through `withpeople.organisations.access.organisation_view`).

Nobody approves their own expense claim or payment, whatever their role.
"""

from __future__ import annotations

from django.http import Http404

from withpeople.groups.models import GroupMember, GroupMemberQuerySet
from withpeople.organisations.access import can_organise
from withpeople.organisations.models import Membership


def is_finance_staff(membership: Membership) -> bool:
    return can_organise(membership)


def is_the_person(membership: Membership, member: GroupMember) -> bool:
    return member.membership_id is not None and member.membership_id == membership.pk


def can_see(membership: Membership, member: GroupMember) -> bool:
    """May this member of the organisation see this person's time, payments and claims?"""
    if member.group.organisation_id != membership.organisation_id:
        return False
    return is_finance_staff(membership) or is_the_person(membership, member)


def people_for(membership: Membership) -> GroupMemberQuerySet:
    """The group members whose time and claims this member may record: their own, or all."""
    people = GroupMember.objects.for_organisation(membership.organisation).select_related("group")
    if is_finance_staff(membership):
        return people.order_by("name", "group__name")
    return people.filter(membership=membership).order_by("group__name")


def member_or_404(membership: Membership, pk: int) -> GroupMember:
    member = (
        GroupMember.objects.for_organisation(membership.organisation)
        .select_related("group", "membership__user")
        .filter(pk=pk)
        .first()
    )
    if member is None or not can_see(membership, member):
        raise Http404
    return member
