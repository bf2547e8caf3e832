"""Who may do what with a meeting: the rights on its group, applied.

A meeting follows its group (`groups.access.group_access_for`, which for a piece of work's
group asks the work's rule): whoever may read the group sees its meetings; whoever may record
on it (its members, leads and admins; staff for a standing group) plans one. The meeting's
organisers, who change and cancel it, see the replies' access needs and record attendance, are
whoever planned it and whoever manages the group (its leads, and admins). Someone replies only
to their own invitation. See docs/decisions/0005-access-rule.md.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from withpeople.core.domain_text import translate
from withpeople.domain.rights import Right
from withpeople.groups.access import group_access_for, rights_for_templates, visible_groups
from withpeople.meetings.models import Invitation, Meeting, MeetingQuerySet
from withpeople.organisations.access import organisation_view
from withpeople.organisations.models import Membership

#: Only the organisers: planning it, or managing the group.
ORGANISE = "organise_meeting"


def is_organiser(membership: Membership | None, meeting: Meeting, access=None) -> bool:
    """Whether they planned it (and are still in the group), or manage the group. `access`,
    the rights on the meeting's group, if already known."""
    if membership is None or membership.organisation_id != meeting.organisation_id:
        return False
    access = access or group_access_for(membership, meeting.group)
    if meeting.planned_by_id == membership.pk:
        return access.can(Right.RECORD)
    return access.can(Right.MANAGE_GROUP)


def visible_meetings(membership: Membership) -> MeetingQuerySet:
    """The meetings of the groups this member may see."""
    return Meeting.objects.for_organisation(membership.organisation).filter(
        group__in=visible_groups(membership)
    )


def own_invitation(membership: Membership, meeting: Meeting) -> Invitation | None:
    return (
        meeting.invitations.filter(member__membership=membership).select_related("member").first()
    )


def meeting_or_404(membership: Membership, pk: int, right: str = Right.READ) -> Meeting:
    """The meeting, if the member may see its group; 403 with the reason if they may see it
    but not do `right` (a group `Right`, or ORGANISE)."""
    meeting = (
        Meeting.objects.for_organisation(membership.organisation)
        .select_related("group", "work", "organisation", "planned_by__user")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    access = group_access_for(membership, meeting.group)
    if not access.visible:
        raise Http404
    meeting.organiser = is_organiser(membership, meeting, access)  # type: ignore[attr-defined]
    if right == ORGANISE:
        if not meeting.organiser:  # type: ignore[attr-defined]
            raise PermissionDenied(
                translate(access.reason)
                if not access.can(Right.RECORD)
                else "Only the person who planned this meeting and the group's leads can do this."
            )
    elif not access.can(Right(right)):
        raise PermissionDenied(translate(access.reason))
    meeting.access = access  # type: ignore[attr-defined]
    return meeting


def meeting_view(
    right: str = Right.READ,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view of one meeting that takes `org_slug` and `meeting_pk`.

    On top of `organisation_view`: 404 for a meeting of a group they may not see, 403 if they
    may not do `right`. The view gets `request.meeting`; templates get `request.can` and
    `request.can.organise`.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, meeting_pk: int, *args, **kwargs) -> HttpResponse:
            membership = request.membership  # type: ignore[attr-defined]
            try:
                meeting = meeting_or_404(membership, meeting_pk, right)
            except PermissionDenied as denied:
                request.work_access_denied = str(denied)  # type: ignore[attr-defined]
                raise
            request.meeting = meeting  # type: ignore[attr-defined]
            request.work_access = meeting.access  # type: ignore[attr-defined]
            request.can = (  # type: ignore[attr-defined]
                request.can | rights_for_templates(meeting.access) | {ORGANISE: meeting.organiser}  # type: ignore[attr-defined]
            )
            return view(request, meeting_pk, *args, **kwargs)

        wrapped.work_right = right  # type: ignore[attr-defined]
        return organisation_view()(wrapped)

    return decorator
