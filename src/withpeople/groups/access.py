"""Who may do what on a group: the rule of `withpeople.domain.rights`, applied to groups.

A piece of work's group follows its work: the rights on it are the rights on the work, which
the works app (above this one) supplies through `register_work_group_rule` in its `ready()`.
A standing group is the organisation's: staff and admins manage it, its members read it.
See docs/decisions/0005-access-rule.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from withpeople.core.domain_text import translate
from withpeople.domain.rights import Right, WorkAccess, standing_group_access
from withpeople.groups.models import Group, GroupKind, GroupQuerySet
from withpeople.organisations.access import organisation_view
from withpeople.organisations.models import Membership


@dataclass(frozen=True)
class WorkGroupRule:
    #: The rights on a work's group (those on its work), or None when it has no work.
    access_for: Callable[[Membership | None, Group], WorkAccess | None]
    #: The ids of the groups whose work this member may not see, as a query.
    hidden_group_ids: Callable[[Membership], object]


_rule: WorkGroupRule | None = None


def register_work_group_rule(rule: WorkGroupRule) -> None:
    """Called once by the works app: how a work's group follows its piece of work."""
    global _rule
    _rule = rule


def rights_for_templates(access: WorkAccess) -> dict[str, bool]:
    return {right.value: access.can(right) for right in Right}


def group_access_for(membership: Membership | None, group: Group) -> WorkAccess:
    """The rights of this member of an organisation on this group."""
    if group.kind == GroupKind.WORK and _rule is not None:
        access = _rule.access_for(membership, group)
        if access is not None:
            return access
    if membership is None or membership.organisation_id != group.organisation_id:
        return standing_group_access(org_role=None, in_group=False)
    in_group = group.members.current().filter(membership=membership).exists()
    return standing_group_access(org_role=membership.role, in_group=in_group)


def visible_groups(membership: Membership) -> GroupQuerySet:
    """The groups of the member's organisation they may see: not those of hidden work."""
    groups = Group.objects.for_organisation(membership.organisation)
    if _rule is None:
        return groups
    return groups.exclude(pk__in=_rule.hidden_group_ids(membership))


def group_or_404(membership: Membership, pk: int, right: Right = Right.READ) -> Group:
    """The group, if the member may see it and has `right` on it; as `work_or_404`."""
    group = Group.objects.for_organisation(membership.organisation).filter(pk=pk).first()
    if group is None:
        raise Http404
    access = group_access_for(membership, group)
    if not access.visible:
        raise Http404
    if not access.can(right):
        raise PermissionDenied(translate(access.reason))
    group.access = access  # type: ignore[attr-defined]
    return group


def group_view(
    right: Right = Right.READ,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view of one group that takes `org_slug` and `pk`: as `work_view`.

    The view gets the group as `request.group`; templates get `request.can`.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
            try:
                group = group_or_404(request.membership, pk, right)  # type: ignore[attr-defined]
            except PermissionDenied as denied:
                request.work_access_denied = str(denied)  # type: ignore[attr-defined]
                raise
            request.group = group  # type: ignore[attr-defined]
            request.work_access = group.access  # type: ignore[attr-defined]
            request.can = request.can | rights_for_templates(group.access)  # type: ignore[attr-defined]
            return view(request, pk, *args, **kwargs)

        wrapped.work_right = right  # type: ignore[attr-defined]
        return organisation_view()(wrapped)

    return decorator


def can_manage_group_of(membership: Membership | None, group: Group) -> bool:
    return group_access_for(membership, group).can(Right.MANAGE_GROUP)
