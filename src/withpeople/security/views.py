"""An organisation's sign-in security page, for admins."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from withpeople.accounts.second_factor import has_second_factor
from withpeople.core.pagination import paginate
from withpeople.organisations.access import ADMINS, organisation_view
from withpeople.organisations.models import Membership
from withpeople.security import services
from withpeople.security.forms import SecondFactorRuleForm
from withpeople.security.selectors import members_with_second_factor

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
