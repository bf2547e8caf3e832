"""Organisation pages: choosing one, its overview, and managing its members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from withpeople.accounts.forms import NewAccountForm
from withpeople.accounts.models import User
from withpeople.core.forms import apply_validation_error
from withpeople.core.middleware import no_compression
from withpeople.core.once import once
from withpeople.core.overview import sections_for, waiting_for
from withpeople.core.pagination import paginate
from withpeople.organisations import services
from withpeople.organisations.access import ADMINS, can_administer, organisation_view
from withpeople.organisations.forms import InvitationForm, MembershipForm
from withpeople.organisations.models import Invitation, Membership


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("organisation").order_by(
        "organisation__name"
    )
    if len(memberships) == 1 and request.GET.get("choose") is None:
        return redirect("organisations:dashboard", org_slug=memberships[0].organisation.slug)
    return render(request, "organisations/list.html", {"memberships": memberships})


@organisation_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    """What is waiting for this member, and a summary of each part of the organisation's work."""
    return render(
        request,
        "organisations/dashboard.html",
        {
            "waiting": waiting_for(request),
            "sections": sections_for(request),
            "today": timezone.localdate(),
        },
    )


MEMBERS_PER_PAGE = 50


@organisation_view()
def member_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    memberships = paginate(
        request,
        Membership.objects.for_organisation(organisation)
        .select_related("user")
        .order_by("user__name", "pk"),
        per_page=MEMBERS_PER_PAGE,
        label=_("Pages of members"),
    )
    invitations = (
        Invitation.objects.for_organisation(organisation).pending()
        if can_administer(request.membership)
        else Invitation.objects.none()
    )
    return render(
        request,
        "organisations/members.html",
        {"memberships": memberships, "invitations": invitations},
    )


def _invitation_url(request: HttpRequest, raw_token: str) -> str:
    return request.build_absolute_uri(
        reverse("organisations:invitation-accept", kwargs={"token": raw_token})
    )


@organisation_view(roles=ADMINS)
@once
@require_http_methods(["GET", "POST"])
def member_invite(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = services.invitation_create(
                organisation=organisation,
                invited_by=request.user,
                accept_url_for=lambda raw: _invitation_url(request, raw),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if invitation.email_sent is False:
                # Saved, but the email did not go: give the link to pass on by hand, and a
                # way to try again (which replaces this invitation with a new one).
                return render(
                    request,
                    "organisations/invitation_not_sent.html",
                    {
                        "invitation": invitation,
                        "url": _invitation_url(request, token),
                        "form": form,
                    },
                )
            messages.success(
                request, _("We have sent an invitation to %(email)s.") % {"email": invitation.email}
            )
            return redirect("organisations:members", org_slug=organisation.slug)
    return render(request, "organisations/invite.html", {"form": form})


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def member_change(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    membership = get_object_or_404(
        Membership.objects.for_organisation(organisation).select_related("user"), pk=pk
    )
    initial = {"role": membership.role, "perspective": membership.perspective}
    form = MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change(membership=membership, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("%(name)s's role has been updated.") % {"name": membership.user.name}
            )
            return redirect("organisations:members", org_slug=organisation.slug)
    return render(request, "organisations/member_change.html", {"form": form, "member": membership})


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    membership = get_object_or_404(
        Membership.objects.for_organisation(organisation).select_related("user"), pk=pk
    )
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                _("%(name)s is no longer a member of %(organisation)s.")
                % {"name": membership.user.name, "organisation": organisation.name},
            )
            if membership.user == request.user:
                return redirect("core:home")
            return redirect("organisations:members", org_slug=organisation.slug)
    return render(
        request, "organisations/member_remove.html", {"member": membership, "error": error}
    )


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    invitation = get_object_or_404(
        Invitation.objects.for_organisation(organisation).pending(), pk=pk
    )
    if request.method == "POST":
        services.invitation_cancel(invitation=invitation)
        messages.success(
            request,
            _("The invitation to %(email)s has been cancelled.") % {"email": invitation.email},
        )
        return redirect("organisations:members", org_slug=organisation.slug)
    return render(request, "organisations/invitation_cancel.html", {"invitation": invitation})


def _invitation_unusable(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    return render(
        request,
        "organisations/invitation_unusable.html",
        {"invitation": invitation},
        status=410 if invitation is not None else 404,
    )


@no_compression
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an emailed invitation link opens. Works signed in or out."""
    invitation = services.invitation_from_token(token)
    if invitation is None or not invitation.is_usable:
        return _invitation_unusable(request, invitation)

    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            return render(
                request, "organisations/invitation_wrong_account.html", {"invitation": invitation}
            )
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except ValidationError:
                # Used, cancelled or expired since the page was opened (or sent twice).
                return _invitation_unusable(request, services.invitation_from_token(token))
            messages.success(
                request,
                _("You have joined %(name)s.") % {"name": invitation.organisation.name},
            )
            return redirect("organisations:dashboard", org_slug=invitation.organisation.slug)
        return render(request, "organisations/invitation_accept.html", {"invitation": invitation})

    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(request, "organisations/invitation_sign_in.html", {"invitation": invitation})
    form = NewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept_with_new_account(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError:
            # The form was sent twice, or since the page was opened the invitation was used,
            # cancelled or expired, or an account was made for the address: nothing was saved.
            invitation = services.invitation_from_token(token)
            if invitation is not None and invitation.is_usable:
                return render(
                    request, "organisations/invitation_sign_in.html", {"invitation": invitation}
                )
            return _invitation_unusable(request, invitation)
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome to WithPeople. You have joined %(name)s.")
            % {"name": invitation.organisation.name},
        )
        return redirect("organisations:dashboard", org_slug=invitation.organisation.slug)
    return render(
        request,
        "organisations/invitation_new_account.html",
        {"invitation": invitation, "form": form},
    )
