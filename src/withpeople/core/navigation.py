"""The service navigation. Apps add their own organisation pages in their AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class OrganisationPage:
    label: str | Promise
    url_name: str
    order: int
    #: Pages under these view-name prefixes mark this item as the current one.
    active_prefixes: tuple[str, ...] = field(default_factory=tuple)


_ORGANISATION_PAGES: list[OrganisationPage] = []


def register_organisation_page(
    label: str | Promise, url_name: str, *, order: int, active_prefixes: tuple[str, ...] = ()
) -> None:
    if any(page.url_name == url_name for page in _ORGANISATION_PAGES):
        return
    _ORGANISATION_PAGES.append(
        OrganisationPage(label, url_name, order, active_prefixes or (url_name,))
    )
    _ORGANISATION_PAGES.sort(key=lambda page: page.order)


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    active: bool


def _is_active(request: HttpRequest, prefixes: tuple[str, ...]) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return any(match.view_name == p or match.view_name.startswith(p + ".") for p in prefixes)


def navigation_items(request: HttpRequest, organisation) -> list[NavItem]:
    items: list[NavItem] = []
    if organisation is not None:
        for page in _ORGANISATION_PAGES:
            items.append(
                NavItem(
                    page.label,
                    reverse(page.url_name, kwargs={"org_slug": organisation.slug}),
                    _is_active(request, page.active_prefixes),
                )
            )
    elif request.user.is_authenticated:
        items.append(
            NavItem(
                _("Your organisations"),
                reverse("organisations:list"),
                _is_active(request, ("organisations:list",)),
            )
        )
    items.append(
        NavItem(_("The ladder"), reverse("core:ladder"), _is_active(request, ("core:ladder",)))
    )
    if request.user.is_authenticated:
        items.append(
            NavItem(
                _("Your account"),
                reverse("accounts:account"),
                _is_active(
                    request,
                    ("accounts:account", "accounts:token-create", "accounts:password-change"),
                ),
            )
        )
    else:
        items.append(
            NavItem(
                _("Sign in"),
                reverse("accounts:sign-in"),
                _is_active(request, ("accounts:sign-in",)),
            )
        )
    return items
