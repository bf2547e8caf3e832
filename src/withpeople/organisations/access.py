"""Access control for everything that belongs to an organisation, in one place.

Every organisation page and API endpoint goes through `organisation_view` (or, in the API,
`membership_for`). The rule: you must be signed in, you must be a member of the organisation
named in the web address, and your role must be one the page allows. A member of another
organisation is told the page does not exist (404), so that nobody can learn which
organisations or objects exist elsewhere.

Which role may do what is decided once, in `withpeople.domain.rights`; pages about one piece
of work go through `withpeople.works.access.work_view`, where rights follow the work's group
rather than the role. Views, API endpoints and templates ask the predicates here
(`can_organise`, `can_administer`, or `request.can.<right>` in a template), never the role.
See docs/decisions/0005-access-rule.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from withpeople.accounts.second_factor import has_second_factor
from withpeople.domain.rights import OrganisationRight, organisation_rights
from withpeople.organisations.models import Membership, Organisation, Role


def roles_with(right: OrganisationRight) -> frozenset[str]:
    """The roles that have an organisation right, by the rule in `withpeople.domain.rights`."""
    return frozenset(role for role in Role.values if right in organisation_rights(role))


ALL_ROLES: frozenset[str] = roles_with(OrganisationRight.TAKE_PART)
#: Roles that may administer the organisation: members, roles, frameworks, policies.
ADMINS: frozenset[str] = roles_with(OrganisationRight.ADMINISTER)
#: Roles that may organise: start work, run review cycles, record time and payments for others.
STAFF_AND_ADMINS: frozenset[str] = roles_with(OrganisationRight.ORGANISE)


def can_organise(membership: Membership | None) -> bool:
    """May they do work that commits the organisation (not about one piece of work)?"""
    return membership is not None and OrganisationRight.ORGANISE in organisation_rights(
        membership.role
    )


def can_administer(membership: Membership | None) -> bool:
    """May they administer the organisation: members, roles, frameworks, policies?"""
    return membership is not None and OrganisationRight.ADMINISTER in organisation_rights(
        membership.role
    )


def rights_for_templates(membership: Membership | None) -> dict[str, bool]:
    """`request.can` for templates: every organisation right by name, True or False."""
    rights = organisation_rights(membership.role if membership else None)
    return {right.value: right in rights for right in OrganisationRight}


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
    role the view does not allow get 403; members the organisation requires to sign in with a
    second factor, who have none, are sent to set one up.
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
            if (
                membership.organisation.requires_second_factor(membership.role)
                and not has_second_factor(request.user)
                and not second_factor_by_provider(request, membership.organisation)
            ):
                return second_factor_needed(request)
            request.membership = membership  # type: ignore[attr-defined]
            request.organisation = membership.organisation  # type: ignore[attr-defined]
            request.can = rights_for_templates(membership)  # type: ignore[attr-defined]
            if request.session.get(SESSION_KEY) != membership.organisation.slug:
                request.session[SESSION_KEY] = membership.organisation.slug
            return view(request, *args, **kwargs)

        wrapped.organisation_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


#: Session key: the organisations whose single sign-on provider asked this person for a second
#: factor when they signed in, where the organisation accepts that (`security` sets it).
PROVIDER_SECOND_FACTOR = "second_factor_by_provider"


def second_factor_given_by_provider(request: HttpRequest, organisation: Organisation) -> None:
    """Remember, for this session only, that their provider asked for a second factor."""
    request.session[PROVIDER_SECOND_FACTOR] = [organisation.pk]


def second_factor_by_provider(request: HttpRequest, organisation: Organisation) -> bool:
    """Whether this session was signed in through the organisation's provider, which asked for a
    second factor and which the organisation trusts to do so."""
    given = request.session.get(PROVIDER_SECOND_FACTOR)
    return isinstance(given, list) and organisation.pk in given


def lacks_a_required_second_factor(user) -> bool:
    """Whether any organisation they belong to requires a second factor of them, and they have
    none. The API refuses them until they set one up, with a token or a signed-in session."""
    if has_second_factor(user):
        return False
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    return any(m.organisation.requires_second_factor(m.role) for m in memberships)


def second_factor_needed(request: HttpRequest) -> HttpResponse:
    """Send someone whose organisation requires a second factor, and who has none, to set one
    up before anything else in it; they come back to the page they asked for."""
    query = urlencode({"next": request.get_full_path(), "required": "1"})
    return HttpResponseRedirect(f"{reverse('accounts:second-factor-set-up')}?{query}")


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
