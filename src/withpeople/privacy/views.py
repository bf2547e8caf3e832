"""Pages for a person's own data, other people's data, the audit log and retention."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.selectors import audit_log_events
from withpeople.core.pagination import paginate
from withpeople.diversity.selectors import your_diversity
from withpeople.groups.models import GroupMember
from withpeople.groups.selectors import people_without_an_account
from withpeople.organisations.access import ADMINS, organisation_view
from withpeople.organisations.models import Membership
from withpeople.privacy import services
from withpeople.privacy.forms import RetentionForm
from withpeople.privacy.selectors import (
    personal_data_for_group_member,
    personal_data_for_membership,
)

AUDIT_PAGE_SIZE = 25


# A person's own data -----------------------------------------------------------------------


@organisation_view()
@require_GET
def your_data(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/your_data.html", your_diversity(request.membership))


def _data_page(
    request: HttpRequest, subject, data_for, *, name: str, download_url: str, own: bool
) -> HttpResponse:
    with transaction.atomic():
        data = data_for()
        services.personal_data_viewed(
            organisation=request.organisation, actor=request.user, subject=subject
        )
    return render(
        request,
        "privacy/data_page.html",
        {"data": data, "name": name, "download_url": download_url, "own": own},
    )


def _data_download(request: HttpRequest, subject, data_for, *, filename_part: str) -> HttpResponse:
    with transaction.atomic():
        data = data_for()
        services.personal_data_exported(
            organisation=request.organisation, actor=request.user, subject=subject
        )
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"withpeople-{slugify(request.organisation.slug)}-data-{filename_part}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _membership_page(request: HttpRequest, membership: Membership, *, own: bool):
    slug = request.organisation.slug
    return _data_page(
        request,
        membership,
        lambda: personal_data_for_membership(membership, about_someone_else=not own),
        name=membership.user.name,
        download_url=(
            reverse("privacy:my-data-download", kwargs={"org_slug": slug})
            if own
            else reverse(
                "privacy:person-data-download", kwargs={"org_slug": slug, "pk": membership.pk}
            )
        ),
        own=own,
    )


def _membership_download(request: HttpRequest, membership: Membership, *, own: bool):
    return _data_download(
        request,
        membership,
        lambda: personal_data_for_membership(membership, about_someone_else=not own),
        filename_part=str(membership.pk),
    )


@organisation_view()
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    return _membership_page(request, request.membership, own=True)


@organisation_view()
@require_GET
def my_data_download(request: HttpRequest) -> HttpResponse:
    return _membership_download(request, request.membership, own=True)


# People's data (admins) --------------------------------------------------------------------


def _member(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.for_organisation(request.organisation).select_related(
            "user", "organisation"
        ),
        pk=pk,
    )


@organisation_view(roles=ADMINS)
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.for_organisation(request.organisation)
        .select_related("user")
        .order_by("user__name", "pk")
    )
    return render(
        request,
        "privacy/people.html",
        {
            "memberships": memberships,
            "without_account": people_without_an_account(request.organisation),
        },
    )


@organisation_view(roles=ADMINS)
@require_GET
def person_data(request: HttpRequest, pk: int) -> HttpResponse:
    return _membership_page(request, _member(request, pk), own=False)


@organisation_view(roles=ADMINS)
@require_GET
def person_data_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _membership_download(request, _member(request, pk), own=False)


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _member(request, pk)
    problems = services.erasure_blockers(membership=membership, actor=request.user)
    if request.method == "POST" and not problems:
        services.person_erase(membership=membership, actor=request.user)
        messages.success(request, _("The person has been erased from this organisation."))
        return redirect("privacy:people", org_slug=request.organisation.slug)
    return render(
        request,
        "privacy/person_erase.html",
        {
            "person": membership,
            "problems": problems,
            "group_memberships": membership.group_memberships.select_related("group"),
        },
    )


# People without an account (admins) -----------------------------------------------------


def _group_member(request: HttpRequest, pk: int) -> GroupMember:
    """Someone in one of the organisation's groups who takes part without an account."""
    return get_object_or_404(
        GroupMember.objects.for_organisation(request.organisation)
        .filter(membership__isnull=True)
        .select_related("group__organisation"),
        pk=pk,
    )


@organisation_view(roles=ADMINS)
@require_GET
def group_member_data(request: HttpRequest, pk: int) -> HttpResponse:
    member = _group_member(request, pk)
    return _data_page(
        request,
        member,
        lambda: personal_data_for_group_member(member),
        name=member.name,
        download_url=reverse(
            "privacy:group-member-data-download",
            kwargs={"org_slug": request.organisation.slug, "pk": member.pk},
        ),
        own=False,
    )


@organisation_view(roles=ADMINS)
@require_GET
def group_member_data_download(request: HttpRequest, pk: int) -> HttpResponse:
    member = _group_member(request, pk)
    return _data_download(
        request,
        member,
        lambda: personal_data_for_group_member(member),
        filename_part=f"group-member-{member.pk}",
    )


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def group_member_erase(request: HttpRequest, pk: int) -> HttpResponse:
    member = _group_member(request, pk)
    problems = services.group_member_erasure_blockers(member=member)
    if request.method == "POST" and not problems:
        services.group_member_erase(member=member, actor=request.user)
        messages.success(request, _("The person has been erased from this organisation."))
        return redirect("privacy:people", org_slug=request.organisation.slug)
    return render(
        request,
        "privacy/group_member_erase.html",
        {"member": member, "problems": problems},
    )


# Audit log and retention (admins) ----------------------------------------------------------


@organisation_view(roles=ADMINS)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("action", "")
    kind = kind if kind in AuditEventKind.values else ""
    events = audit_log_events(organisation=request.organisation, kind=kind)
    return render(
        request,
        "privacy/audit_log.html",
        {
            "pagination": paginate(request, events, per_page=AUDIT_PAGE_SIZE),
            "kinds": AuditEventKind.choices,
            "action": kind,
        },
    )


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    settings = services.retention_settings_for(request.organisation)
    form = RetentionForm(request.POST if request.method == "POST" else None, instance=settings)
    if request.method == "POST" and form.is_valid():
        services.retention_settings_save(settings=form.instance)
        messages.success(request, _("The retention periods have been saved."))
        return redirect("privacy:retention", org_slug=request.organisation.slug)
    return render(request, "privacy/retention.html", {"form": form})
