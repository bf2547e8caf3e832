"""Who may do what on a piece of work: the rule of `withpeople.domain.rights`, applied.

Rights follow the work's group, not the role in the organisation: members of the group read,
record evidence and check in; leads (a partner can lead) also plan, manage the group, run
check-in rounds and publish; admins do everything; other members of the organisation read;
`individual`-level work is not there at all for anyone outside its group but admins.

Pages use `work_view(right=...)`; the API and other code ask `work_access_for`, or the one
predicate per right below; templates read `request.can.<right>` and `request.work_access`.
Lists and counts start from `visible_works`, so work someone may not see is absent, not hidden.
See docs/decisions/0005-access-rule.md.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse

from withpeople.core.domain_text import translate
from withpeople.domain.ladder import Level
from withpeople.domain.rights import (
    Right,
    WorkAccess,
    rights_sentence,
    work_access,
)
from withpeople.groups.access import rights_for_templates
from withpeople.groups.models import Group
from withpeople.organisations.access import can_administer, organisation_view
from withpeople.organisations.models import Membership
from withpeople.works.models import Work, WorkQuerySet


def work_access_for(membership: Membership | None, work: Work) -> WorkAccess:
    """The rights of this member of an organisation on this piece of work."""
    if membership is None or membership.organisation_id != work.organisation_id:
        return work_access(org_role=None, in_group=False, lead=False, level=work.level)
    in_group = work.group.members.current().filter(membership=membership).exists()
    lead = work.leads.filter(pk=membership.pk).exists()
    return work_access(org_role=membership.role, in_group=in_group, lead=lead, level=work.level)


def visible_works(membership: Membership) -> WorkQuerySet:
    """The pieces of work of the member's organisation that they may see.

    The same rule as `work_access(...).visible`, as a query: everything for an admin; for
    anyone else everything but `individual`-level work whose group they are not in and which
    they do not lead.
    """
    works = Work.objects.for_organisation(membership.organisation)
    if can_administer(membership):
        return works
    theirs = Work.objects.filter(
        Q(group__members__membership=membership, group__members__left_on__isnull=True)
        | Q(leads=membership)
    ).values("pk")
    return works.filter(~Q(level=Level.INDIVIDUAL) | Q(pk__in=theirs))


def work_or_404(membership: Membership, pk: int, right: Right = Right.READ) -> Work:
    """The piece of work, if the member may see it and has `right` on it.

    404 for work of another organisation, and for work they may not see; 403 (with the reason
    in plain English) for work they see but may not do this on.
    """
    work = (
        Work.objects.for_organisation(membership.organisation)
        .select_related("group", "organisation")
        .filter(pk=pk)
        .first()
    )
    if work is None:
        raise Http404
    access = work_access_for(membership, work)
    if not access.visible:
        raise Http404
    if not access.can(right):
        raise PermissionDenied(translate(access.reason))
    work.access = access  # type: ignore[attr-defined]
    return work


def work_view(
    right: Right = Right.READ,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view of one piece of work that takes `org_slug` and `pk`.

    On top of `organisation_view` (sign in; 404 for other organisations): 404 for a piece of
    work the member may not see, 403 if they may not do `right` on it. The view gets the work
    as `request.work`, what they may do as `request.work_access`, and templates `request.can`.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
            try:
                work = work_or_404(request.membership, pk, right)  # type: ignore[attr-defined]
            except PermissionDenied as denied:
                # The 403 page says why, in the words of the rule.
                request.work_access_denied = str(denied)  # type: ignore[attr-defined]
                raise
            request.work = work  # type: ignore[attr-defined]
            request.work_access = work.access  # type: ignore[attr-defined]
            request.can = request.can | rights_for_templates(work.access)  # type: ignore[attr-defined]
            return view(request, pk, *args, **kwargs)

        wrapped.work_right = right  # type: ignore[attr-defined]
        return organisation_view()(wrapped)

    return decorator


# --- A work's group follows its work (groups asks through the hook registered in ready()) -------


def access_for_group_of_work(membership: Membership | None, group: Group) -> WorkAccess | None:
    """The rights on a work's group: those on its piece of work, or None if it has none."""
    work = Work.objects.filter(group=group).first()
    return None if work is None else work_access_for(membership, work)


def hidden_group_ids(membership: Membership):
    """The groups of pieces of work this member may not see, as a query of ids."""
    return (
        Work.objects.for_organisation(membership.organisation)
        .exclude(pk__in=visible_works(membership).values("pk"))
        .values("group_id")
    )


def why(access: WorkAccess) -> dict[str, str]:
    """What someone can do on a piece of work, and why, in the language of the request."""
    return {"can": translate(rights_sentence(access)), "because": translate(access.reason)}


# --- One predicate per right, for the API and for code that is not a page ------------------------


def can_read(membership: Membership | None, work: Work) -> bool:
    return work_access_for(membership, work).can(Right.READ)


def can_record(membership: Membership | None, work: Work) -> bool:
    return work_access_for(membership, work).can(Right.RECORD)


def can_check_in(membership: Membership | None, work: Work) -> bool:
    return work_access_for(membership, work).can(Right.CHECK_IN)


def can_plan(membership: Membership | None, work: Work) -> bool:
    return work_access_for(membership, work).can(Right.PLAN)


def can_manage_group(membership: Membership | None, work: Work) -> bool:
    return work_access_for(membership, work).can(Right.MANAGE_GROUP)


def can_run_check_ins(membership: Membership | None, work: Work) -> bool:
    return work_access_for(membership, work).can(Right.RUN_CHECK_INS)


def can_publish(membership: Membership | None, work: Work) -> bool:
    return work_access_for(membership, work).can(Right.PUBLISH)
