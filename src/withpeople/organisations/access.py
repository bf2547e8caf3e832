"""Access control for everything that belongs to an organisation, in one place.

Every organisation page and API endpoint goes through `organisation_view` (or, in the API,
`membership_for`). The rule: you must be signed in, you must be a member of the organisation
named in the web address, and your role must be one the page allows. A member of another
organisation is told the page does not exist (404), so that nobody can learn which
organisations or objects exist elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from withpeople.organisations.models import Membership, Organisation, Role

ALL_ROLES: frozenset[str] = frozenset(Role.values)
ADMINS: frozenset[str] = frozenset({Role.ADMIN})
STAFF_AND_ADMINS: frozenset[str] = frozenset({Role.ADMIN, Role.STAFF})

SESSION_KEY = "current_organisation"


def membership_for(user, org_slug: str) -> Membership:
    """The user's membership of the organisation, or Http404 — never another tenant's data."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Membership.objects.select_related("organisation").get(
            user=user, organisation__slug=org_slug
        )
    except Membership.DoesNotExist:
        raise Http404 from None


def organisation_view(
    roles: Iterable[str] = ALL_ROLES,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view that takes `org_slug`: sets request.organisation and request.membership.

    Anonymous people are sent to sign in; members of other organisations get 404; members whose
    role the view does not allow get 403.
    """
    allowed = frozenset(roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, org_slug: str, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for(request.user, org_slug)
            if membership.role not in allowed:
                raise PermissionDenied
            request.membership = membership  # type: ignore[attr-defined]
            request.organisation = membership.organisation  # type: ignore[attr-defined]
            if request.session.get(SESSION_KEY) != membership.organisation.slug:
                request.session[SESSION_KEY] = membership.organisation.slug
            return view(request, *args, **kwargs)

        wrapped.organisation_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def current_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation the person is working in: the page's, else the last one they opened."""
    organisation = getattr(request, "organisation", None)
    if organisation is not None:
        return organisation
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    slug = request.session.get(SESSION_KEY)
    if not slug:
        return None
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation__slug=slug)
        .first()
    )
    return membership.organisation if membership else None
