"""An organisation's sign-in security and single sign-on pages, for admins, and signing in
with an organisation's own account (OpenID Connect)."""

from __future__ import annotations

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from withpeople.accounts.second_factor import has_second_factor
from withpeople.accounts.views import PENDING_SIGN_IN
from withpeople.core.forms import apply_validation_error
from withpeople.core.pagination import paginate
from withpeople.domain.single_sign_on import provider_asked_for_second_factor
from withpeople.organisations.access import (
    ADMINS,
    organisation_view,
    second_factor_given_by_provider,
)
from withpeople.organisations.models import Membership
from withpeople.security import oidc, services
from withpeople.security.forms import (
    SecondFactorRuleForm,
    SingleSignOnChoiceForm,
    SingleSignOnForm,
    SingleSignOnStartForm,
)
from withpeople.security.models import SingleSignOn
from withpeople.security.selectors import members_with_second_factor, single_sign_on_for_email

PAGE_SIZE = 50


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def sign_in_security(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = SecondFactorRuleForm(
        request.POST or None, initial={"rule": organisation.second_factor_required_for}
    )
    if request.method == "POST" and form.is_valid():
        services.second_factor_rule_set(
            organisation=organisation, rule=form.cleaned_data["rule"], actor=request.user
        )
        messages.success(request, _("Who must sign in with a second factor has been saved."))
        return redirect("security:sign-in-security", org_slug=organisation.slug)
    members = paginate(
        request,
        members_with_second_factor(organisation),
        per_page=PAGE_SIZE,
        label=_("Pages of members"),
    )
    rows = [
        (membership, organisation.requires_second_factor(membership.role)) for membership in members
    ]
    return render(
        request,
        "security/sign_in_security.html",
        {"form": form, "members": members, "rows": rows},
    )


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.for_organisation(request.organisation).select_related("user"), pk=pk
    )
    if request.method == "POST":
        if services.second_factor_reset(membership=membership, actor=request.user):
            messages.success(
                request,
                _(
                    "The second factor of %(name)s has been reset. Tell them to sign in with "
                    "their password and set up their authenticator app again."
                )
                % {"name": membership.user.name},
            )
        return redirect("security:sign-in-security", org_slug=request.organisation.slug)
    return render(
        request,
        "security/second_factor_reset.html",
        {"member": membership, "has_second_factor": has_second_factor(membership.user)},
    )


# --- single sign-on ---------------------------------------------------------------------------

#: Session key: which organisation's provider the person was sent to, the address they typed,
#: and where to go after. Authlib keeps the state, nonce and PKCE verifier beside it.
SSO_PENDING = "single_sign_on_pending"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("security:sso-callback"))


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def single_sign_on(request: HttpRequest) -> HttpResponse:
    """The organisation's OpenID Connect provider, for its admins."""
    organisation = request.organisation
    config = SingleSignOn.objects.filter(organisation=organisation).first()
    initial = {}
    if config is not None:
        initial = {
            "issuer": config.issuer,
            "client_id": config.client_id,
            "email_domains": ", ".join(config.email_domains),
            "trust_provider_email": config.trust_provider_email,
            "trust_provider_second_factor": config.trust_provider_second_factor,
            "enabled": config.enabled,
        }
    form = SingleSignOnForm(request.POST or None, initial=initial, has_secret=config is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.single_sign_on_save(
                organisation=organisation,
                actor=request.user,
                issuer=data["issuer"],
                client_id=data["client_id"],
                client_secret=data["client_secret"],
                email_domains=data["email_domains"],
                trust_provider_email=data["trust_provider_email"],
                trust_provider_second_factor=data["trust_provider_second_factor"],
                enabled=data["enabled"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Single sign-on has been saved."))
            return redirect("security:single-sign-on", org_slug=organisation.slug)
    return render(
        request,
        "security/single_sign_on.html",
        {"form": form, "config": config, "callback_url": _callback_url(request)},
    )


def _safe_next(request: HttpRequest, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


@require_http_methods(["GET", "POST"])
def sso_sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in with your organisation's account: the email address says which provider."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SingleSignOnStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        configs = single_sign_on_for_email(email)
        config = configs[0] if len(configs) == 1 else None
        if len(configs) > 1:
            choosing = "choosing" in request.POST
            choice = SingleSignOnChoiceForm(
                request.POST if choosing else None,
                initial={"email": email},
                organisations=[c.organisation for c in configs],
            )
            if not (choosing and choice.is_valid()):
                return render(
                    request, "security/sso_choose.html", {"form": choice, "next": next_url}
                )
            slug = choice.cleaned_data["organisation"]
            config = next(c for c in configs if c.organisation.slug == slug)
        if config is None:
            form.add_error(
                "email",
                _(
                    "No organisation signs in people with this email address through its own "
                    "account. Check the address, or sign in with your email address and "
                    "password."
                ),
            )
        else:
            credentials = {"username": email}
            if AxesProxyHandler.is_locked(request, credentials):
                return get_lockout_response(request, credentials=credentials)
            request.session[SSO_PENDING] = {"config": config.pk, "email": email, "next": next_url}
            try:
                return oidc.authorize_redirect(
                    request, config, redirect_uri=_callback_url(request), login_hint=email
                )
            except oidc.SignInFailed:
                form.add_error(
                    None,
                    _(
                        "Your organisation's sign-in service could not be reached. Try again "
                        "in a few minutes, or sign in with your email address and password."
                    ),
                )
    return render(request, "security/sso_sign_in.html", {"form": form, "next": next_url})


def _refused(request: HttpRequest, reason: str, credentials: dict, status: int) -> HttpResponse:
    """A sign-in through a provider that does not let anyone in. It counts as a failed sign-in
    for the address typed, as a wrong password does (django-axes)."""
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, credentials=credentials)
    return render(request, "security/sso_refused.html", {"reason": reason}, status=status)


@require_http_methods(["GET"])
def sso_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: check its answer, then let in only whom an invitation or a
    membership names (`services.single_sign_on_match`)."""
    pending = request.session.get(SSO_PENDING)
    if not isinstance(pending, dict):
        return render(request, "security/sso_refused.html", {"reason": "expired"}, status=400)
    credentials = {"username": pending.get("email", "")}
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, credentials=credentials)
    config = (
        SingleSignOn.objects.filter(pk=pending.get("config"), enabled=True)
        .select_related("organisation")
        .first()
    )
    if config is None:
        del request.session[SSO_PENDING]
        return render(request, "security/sso_refused.html", {"reason": "expired"}, status=400)
    try:
        claims = oidc.claims_from_callback(request, config)
    except oidc.SignInFailed:
        del request.session[SSO_PENDING]
        return _refused(request, "failed", credentials, status=400)
    del request.session[SSO_PENDING]
    match = services.single_sign_on_match(config=config, claims=claims)
    if match.refusal is not None:
        return _refused(request, match.refusal.value, credentials, status=403)
    user = match.user
    next_url = pending.get("next") or reverse(
        "organisations:dashboard", kwargs={"org_slug": config.organisation.slug}
    )
    provider_second_factor = (
        config.trust_provider_second_factor and provider_asked_for_second_factor(claims)
    )
    if has_second_factor(user) and not provider_second_factor:
        # Their own authenticator app is asked for next, as after a password.
        request.session.cycle_key()
        request.session[PENDING_SIGN_IN] = {
            "user": user.pk,
            "backend": MODEL_BACKEND,
            "next": next_url,
            "since": time.time(),
        }
        return redirect("accounts:sign-in-code")
    login(request, user, backend=MODEL_BACKEND)
    if provider_second_factor:
        second_factor_given_by_provider(request, config.organisation)
    if match.joined is not None:
        messages.success(
            request, _("You have joined %(name)s.") % {"name": config.organisation.name}
        )
    return redirect(next_url)
