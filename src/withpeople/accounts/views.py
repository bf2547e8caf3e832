"""Signing in and out, passwords, the second factor, and the account page with API tokens."""

from __future__ import annotations

import json
import time

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from withpeople.accounts import passkeys, second_factor, services
from withpeople.accounts.forms import (
    AccountForm,
    ApiTokenForm,
    AuthenticatorAppForm,
    ChangePasswordForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SignInCodeForm,
    SignInForm,
)
from withpeople.accounts.models import User
from withpeople.core.once import once

#: Session keys: who gave their password and must now give a code; the key of an app being set
#: up; recovery codes to show once; where to go once a second factor is set up.
PENDING_SIGN_IN = "second_factor_pending"
SETUP_KEY = "second_factor_setup_key"
NEW_RECOVERY_CODES = "second_factor_recovery_codes"
AFTER_SETUP = "second_factor_next"


class SignInView(auth_views.LoginView):
    """The first step of signing in: email address and password.

    Someone with a second factor is not signed in yet: the session remembers who they are, for
    a few minutes, and the next page asks for their code.
    """

    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not second_factor.has_second_factor(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING_SIGN_IN] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "since": time.time(),
        }
        return redirect("accounts:sign-in-code")


def _pending_user(request: HttpRequest) -> tuple[User, dict] | None:
    """Who gave their password in this session, a short while ago, and is still active."""
    pending = request.session.get(PENDING_SIGN_IN)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("since", 0) > settings.SECOND_FACTOR_TIMEOUT_SECONDS:
        del request.session[PENDING_SIGN_IN]
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or not second_factor.has_second_factor(user):
        return None
    return user, pending


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code.

    Wrong codes count towards the same sign-in throttle as wrong passwords (django-axes, per
    email address and client address), so guessing codes is no faster than guessing passwords.
    """
    found = _pending_user(request)
    if found is None:
        messages.info(request, _("Sign in with your email address and password first."))
        return redirect("accounts:sign-in")
    user, pending = found
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, credentials=credentials)
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.second_factor_verify(user=user, code=form.cleaned_data["code"]):
            del request.session[PENDING_SIGN_IN]
            login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            return get_lockout_response(request, credentials=credentials)
        if second_factor.verify_paused(user):
            form.add_error(
                "code",
                _(
                    "The code is not right, and after several wrong codes you need to wait a "
                    "little. Wait a minute, then enter the code your app shows."
                ),
            )
        else:
            form.add_error(
                "code",
                _(
                    "The code is not right. Enter the code your app shows now, or a recovery "
                    "code you have not used before."
                ),
            )
    return render(
        request,
        "accounts/sign_in_code.html",
        {"form": form, "has_passkeys": user.passkeys.exists()},
    )


@require_http_methods(["POST"])
def sign_in_passkey_options(request: HttpRequest) -> HttpResponse:
    """The challenge for signing in with a passkey, for someone who has given their password."""
    found = _pending_user(request)
    if found is None or not found[0].passkeys.exists():
        return JsonResponse({"message": _("Sign in with your password first.")}, status=400)
    return HttpResponse(
        passkeys.authentication_options(request, found[0]), content_type="application/json"
    )


@require_http_methods(["POST"])
def sign_in_passkey(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, with a passkey instead of a code (needs JavaScript)."""
    found = _pending_user(request)
    if found is None:
        return JsonResponse({"message": _("Sign in with your password first.")}, status=400)
    user, pending = found
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        return JsonResponse({"message": _("Too many attempts. Try again later.")}, status=429)
    body = _json_body(request)
    if body is not None and passkeys.passkey_verify(
        request=request, user=user, body=json.dumps(body.get("credential"))
    ):
        del request.session[PENDING_SIGN_IN]
        login(request, user, backend=pending["backend"])
        return JsonResponse({"redirect": pending["next"]})
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return JsonResponse(
        {"message": _("That passkey did not work. Try again, or enter a code instead.")},
        status=400,
    )


def _json_body(request: HttpRequest) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


class SignOutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, initial={"name": request.user.name})
    if request.method == "POST" and form.is_valid():
        request.user.name = form.cleaned_data["name"]
        request.user.full_clean()
        request.user.save(update_fields=["name"])
        messages.success(request, _("Your name has been saved."))
        return redirect("accounts:account")
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "tokens": request.user.api_tokens.active(),
            "authenticator_app": second_factor.authenticator_app(request.user),
            "recovery_codes_left": second_factor.recovery_codes_left(request.user),
            "passkeys": request.user.passkeys.all(),
            "memberships": request.user.memberships.select_related("organisation"),
        },
    )


@login_required
@once
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        response = render(request, "accounts/token_created.html", {"token": token, "raw": raw})
        # The token is shown only this once: sending the form again goes to the account page.
        response.once_result_url = reverse("accounts:account")
        return response
    return render(request, "accounts/token_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens.active(), pk=pk)
    if request.method == "POST":
        services.api_token_revoke(token=token)
        messages.success(
            request, _("The token “%(name)s” has been revoked.") % {"name": token.name}
        )
        return redirect("accounts:account")
    return render(request, "accounts/token_revoke.html", {"token": token})


# --- the second factor, on the account page ---------------------------------------------------


def _safe_next(request: HttpRequest, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code or type the key, then give its code.

    The key is kept in the session until the code proves the app holds it; nothing is saved
    before then.
    """
    if second_factor.has_second_factor(request.user):
        messages.info(request, _("You already have a second factor. Remove it to set up another."))
        return redirect("accounts:account")
    next_url = _safe_next(request, request.GET.get("next"))
    if next_url:
        request.session[AFTER_SETUP] = next_url
    key = request.session.get(SETUP_KEY)
    if not key:
        key = request.session[SETUP_KEY] = second_factor.new_key()
    form = AuthenticatorAppForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.second_factor_set_up(
            user=request.user, key=key, code=form.cleaned_data["code"]
        )
        if codes is not None:
            del request.session[SETUP_KEY]
            request.session[NEW_RECOVERY_CODES] = codes
            messages.success(request, _("Your authenticator app is set up."))
            return redirect("accounts:recovery-codes")
        form.add_error(
            "code",
            _(
                "The code is not right. Check that the app shows WithPeople and your email "
                "address, then enter the code it shows now."
            ),
        )
    link = second_factor.setup_link(key, request.user)
    qr = segno.make(link, error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app"), svgclass="wp-qr"
    )
    return render(
        request,
        "accounts/second_factor_set_up.html",
        {
            "form": form,
            "qr": qr,
            "typed_key": second_factor.key_for_typing(key),
            "required_by": request.GET.get("required") == "1",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once, until the person says they have kept them."""
    codes = request.session.get(NEW_RECOVERY_CODES)
    if not codes:
        return redirect("accounts:account")
    if request.method == "POST":
        del request.session[NEW_RECOVERY_CODES]
        return redirect(request.session.pop(AFTER_SETUP, None) or reverse("accounts:account"))
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
@require_http_methods(["GET"])
def recovery_codes_download(request: HttpRequest) -> HttpResponse:
    codes = request.session.get(NEW_RECOVERY_CODES)
    if not codes:
        return redirect("accounts:account")
    text = _(
        "WithPeople recovery codes for %(email)s\n"
        "Each code works once, when you cannot use your authenticator app.\n\n"
    ) % {"email": request.user.email}
    response = HttpResponse(
        text + "\n".join(codes) + "\n", content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="withpeople-recovery-codes.txt"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes_replace(request: HttpRequest) -> HttpResponse:
    if not second_factor.has_second_factor(request.user):
        return redirect("accounts:account")
    if request.method == "POST":
        request.session[NEW_RECOVERY_CODES] = second_factor.recovery_codes_replace(
            user=request.user
        )
        return redirect("accounts:recovery-codes")
    return render(request, "accounts/recovery_codes_replace.html")


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_remove(request: HttpRequest) -> HttpResponse:
    if not second_factor.has_second_factor(request.user):
        return redirect("accounts:account")
    if request.method == "POST":
        second_factor.second_factor_remove(user=request.user)
        messages.success(
            request, _("Your second factor has been removed. You sign in with your password alone.")
        )
        return redirect("accounts:account")
    return render(request, "accounts/second_factor_remove.html")


# --- passkeys, beside an authenticator app ------------------------------------------------------


@login_required
@require_http_methods(["POST"])
def passkey_options(request: HttpRequest) -> HttpResponse:
    if not second_factor.has_second_factor(request.user):
        return JsonResponse({"message": _("Set up an authenticator app first.")}, status=400)
    return HttpResponse(
        passkeys.registration_options(request, request.user), content_type="application/json"
    )


@login_required
@require_http_methods(["POST"])
def passkey_add(request: HttpRequest) -> HttpResponse:
    body = _json_body(request)
    passkey = None
    if body is not None and second_factor.has_second_factor(request.user):
        name = str(body.get("name") or "").strip()[:100]
        passkey = passkeys.passkey_register(
            request=request, user=request.user, body=json.dumps(body.get("credential")), name=name
        )
    if passkey is None:
        return JsonResponse(
            {"message": _("The passkey could not be added. Try again.")}, status=400
        )
    messages.success(request, _("Your passkey “%(name)s” has been added.") % {"name": passkey.name})
    return JsonResponse({"redirect": reverse("accounts:account")})


@login_required
@require_http_methods(["GET", "POST"])
def passkey_remove(request: HttpRequest, pk: int) -> HttpResponse:
    passkey = get_object_or_404(request.user.passkeys, pk=pk)
    if request.method == "POST":
        passkey.delete()
        messages.success(
            request, _("The passkey “%(name)s” has been removed.") % {"name": passkey.name}
        )
        return redirect("accounts:account")
    return render(request, "accounts/passkey_remove.html", {"passkey": passkey})
