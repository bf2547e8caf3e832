"""Group pages: who is in each group, working agreements and access needs.

The relationship over time and the values dashboards are in `withpeople.values`; the access
needs of the people at one activity are with the activity, in `withpeople.works`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from withpeople.core.forms import apply_validation_error
from withpeople.core.once import once
from withpeople.core.pagination import paginate
from withpeople.domain.rights import Right
from withpeople.groups import selectors, services
from withpeople.groups.access import group_view, visible_groups
from withpeople.groups.diff import agreement_changes
from withpeople.groups.forms import (
    AccessNeedsForm,
    AgreementForm,
    AgreementOnBehalfForm,
    GroupForm,
    GroupMemberAddForm,
    GroupMemberChangeForm,
    GroupMemberEndForm,
)
from withpeople.groups.models import (
    NEED_FIELDS,
    AccessNeeds,
    AgreementVersion,
    Group,
    GroupKind,
    GroupMember,
    WorkingAgreement,
)
from withpeople.organisations.access import STAFF_AND_ADMINS, organisation_view
from withpeople.organisations.models import Organisation


def _group(request: HttpRequest, pk: int) -> Group:
    """The group `group_view` found and checked: never another organisation's."""
    return request.group  # type: ignore[attr-defined]


def _member(request: HttpRequest, group: Group, member_pk: int) -> GroupMember:
    return get_object_or_404(
        GroupMember.objects.filter(group=group).select_related("membership__user"), pk=member_pk
    )


#: People shown per page in each list of a group's members.
MEMBERS_PER_PAGE = 50


def _work_of(group: Group):
    # A standing group has no piece of work; the missing relation is an AttributeError.
    return getattr(group, "work", None)


def _current_place(request: HttpRequest, group: Group) -> GroupMember | None:
    """The signed-in person's current place in the group, if they have one."""
    return group.members.current().filter(membership=request.membership).first()


# --- Groups --------------------------------------------------------------------------------------


@organisation_view()
@require_http_methods(["GET"])
def group_list(request: HttpRequest) -> HttpResponse:
    groups = (
        visible_groups(request.membership)
        .annotate(
            current_members=Count("members", filter=Q(members__left_on__isnull=True)),
            past_members=Count("members", filter=Q(members__left_on__isnull=False)),
        )
        .order_by("name", "pk")
    )
    standing = list(groups.filter(kind=GroupKind.STANDING))
    # One group per piece of work: there can be thousands, so they come a page at a time.
    work_groups = paginate(
        request,
        groups.filter(kind=GroupKind.WORK),
        per_page=MEMBERS_PER_PAGE,
        label=_("Pages of groups of pieces of work"),
    )
    return render(
        request,
        "groups/list.html",
        {"standing": standing, "work_groups": work_groups},
    )


@organisation_view(roles=STAFF_AND_ADMINS)
@once
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(organisation=request.organisation, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The group %(name)s has been created.") % {"name": group})
            return redirect("groups:detail", org_slug=request.organisation.slug, pk=group.pk)
    return render(request, "groups/group_form.html", {"form": form, "group": None})


@group_view(right=Right.MANAGE_GROUP)
@require_http_methods(["GET", "POST"])
def group_change(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    form = GroupForm(request.POST or None, initial={"name": group.name, "purpose": group.purpose})
    if request.method == "POST" and form.is_valid():
        try:
            services.group_change(group=group, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The group has been updated."))
            return redirect("groups:detail", org_slug=request.organisation.slug, pk=group.pk)
    return render(request, "groups/group_form.html", {"form": form, "group": group})


@group_view(right=Right.READ)
@require_http_methods(["GET"])
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    members = group.members.select_related("membership__user").order_by("name", "pk")
    current = paginate(
        request,
        members.filter(left_on__isnull=True),
        per_page=MEMBERS_PER_PAGE,
        label=_("Pages of people in the group now"),
    )
    past = paginate(
        request,
        members.filter(left_on__isnull=False),
        per_page=MEMBERS_PER_PAGE,
        label=_("Pages of people who have left"),
        param="left_page",
    )
    agreement = WorkingAgreement.objects.filter(group=group).first()
    latest = agreement.versions.order_by("-number").first() if agreement else None
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "work": _work_of(group),
            "current": current,
            "past": past,
            "agreement": agreement,
            "latest": latest,
        },
    )


# --- Members -------------------------------------------------------------------------------------


@group_view(right=Right.MANAGE_GROUP)
@once
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    form = GroupMemberAddForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.group_member_add(group=group, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has joined %(group)s.") % {"name": member.name, "group": group},
            )
            return redirect("groups:detail", org_slug=request.organisation.slug, pk=group.pk)
    return render(request, "groups/member_add.html", {"form": form, "group": group})


@group_view(right=Right.MANAGE_GROUP)
@require_http_methods(["GET", "POST"])
def member_change(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    group = _group(request, pk)
    member = _member(request, group, member_pk)
    initial = {
        "name": member.name,
        "contact": member.contact,
        "perspective": member.perspective,
        "role": member.role,
        "joined_on": member.joined_on,
    }
    form = GroupMemberChangeForm(
        request.POST or None, initial=initial, has_account=bool(member.membership_id)
    )
    if request.method == "GET" and member.contact:
        # The form shows how to reach them: personal data, so the look is logged.
        services.contact_details_viewed(member=member, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_member_change(
                member=member, **{"contact": member.contact} | form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s's details have been updated.") % {"name": member})
            return redirect("groups:detail", org_slug=request.organisation.slug, pk=group.pk)
    return render(
        request, "groups/member_change.html", {"form": form, "group": group, "member": member}
    )


@group_view(right=Right.MANAGE_GROUP)
@require_http_methods(["GET", "POST"])
def member_end(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """GET asks for the date they left; POST ends their membership. Nothing is deleted."""
    group = _group(request, pk)
    member = _member(request, group, member_pk)
    if member.left_on is not None:
        raise Http404
    form = GroupMemberEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_member_end(member=member, left_on=form.cleaned_data["left_on"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is no longer in %(group)s. They stay in the group's history.")
                % {"name": member.name, "group": group},
            )
            return redirect("groups:detail", org_slug=request.organisation.slug, pk=group.pk)
    return render(
        request, "groups/member_end.html", {"form": form, "group": group, "member": member}
    )


@group_view(right=Right.MANAGE_GROUP)
@require_http_methods(["GET", "POST"])
def member_access_needs(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Staff record the needs of a group member who has no account.

    Any member of staff may record them, as the person tells them; only the organisers of an
    activity the person takes part in see what is already recorded, and each time they do it
    is logged. Everyone else starts from an empty form, and what they save replaces it: when
    needs are already recorded, they must first confirm they understand that.
    """
    group = _group(request, pk)
    member = _member(request, group, member_pk)
    if member.membership_id:
        raise Http404  # people with an account record their own needs
    needs = selectors.needs_of(member)
    can_read = selectors.can_read_member_needs(request.membership, member)
    form = AccessNeedsForm(
        request.POST or None,
        initial=_needs_initial(needs) if can_read else {},
        about_someone_else=True,
        replaces_hidden=needs is not None and not can_read,
    )
    if request.method == "POST" and form.is_valid():
        recorded = {k: v for k, v in form.cleaned_data.items() if k != "replaces_hidden"}
        try:
            services.access_needs_save(
                organisation=request.organisation, group_member=member, **recorded
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("%(name)s's access needs have been saved.") % {"name": member.name}
            )
            return redirect("groups:detail", org_slug=request.organisation.slug, pk=group.pk)
    if needs is not None and can_read:
        services.access_needs_viewed(
            organisation=request.organisation, actor=request.user, subject=needs
        )
    return render(
        request,
        "groups/member_access_needs.html",
        {
            "form": form,
            "group": group,
            "member": member,
            "can_read": can_read,
            "recorded": needs is not None,
        },
    )


# --- Working agreements --------------------------------------------------------------------------


def _version(group: Group, number: int) -> AgreementVersion:
    return get_object_or_404(
        AgreementVersion.objects.filter(agreement__group=group).select_related(
            "created_by__user", "agreement"
        ),
        number=number,
    )


def _version_context(request: HttpRequest, group: Group, version: AgreementVersion | None):
    versions = list(
        AgreementVersion.objects.filter(agreement__group=group)
        .select_related("created_by__user")
        .order_by("-number")
    )
    latest = versions[0] if versions else None
    consents = []
    place = _current_place(request, group)
    agreed = False
    if version is not None:
        consents = list(version.consents.select_related("member").order_by("agreed_at", "pk"))
        agreed = place is not None and any(c.member_id == place.pk for c in consents)
    current = group.members.current()
    return {
        "group": group,
        "work": _work_of(group),
        "version": version,
        "versions": versions,
        "latest": latest,
        "is_latest": version is not None and latest is not None and version.pk == latest.pk,
        "consents": consents,
        "waiting_for": current.exclude(pk__in=[c.member_id for c in consents]).order_by(
            "name", "pk"
        ),
        "place": place,
        "agreed": agreed,
        "can_change": request.can[Right.RECORD],
        "can_publish": request.can[Right.PUBLISH],
        "agreement": version.agreement if version is not None else None,
    }


@group_view(right=Right.READ)
@require_http_methods(["GET"])
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    version = (
        AgreementVersion.objects.filter(agreement__group=group)
        .select_related("agreement", "created_by__user")
        .order_by("-number")
        .first()
    )
    return render(request, "groups/agreement.html", _version_context(request, group, version))


@group_view(right=Right.READ)
@require_http_methods(["GET"])
def agreement_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    group = _group(request, pk)
    version = _version(group, number)
    return render(request, "groups/agreement.html", _version_context(request, group, version))


@group_view(right=Right.READ)
@require_http_methods(["GET"])
def agreement_changes_view(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    group = _group(request, pk)
    version = _version(group, number)
    if number < 2:
        raise Http404
    previous = _version(group, number - 1)
    return render(
        request,
        "groups/agreement_changes.html",
        {
            "group": group,
            "version": version,
            "previous": previous,
            "changes": agreement_changes(previous, version),
        },
    )


@group_view(right=Right.RECORD)
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the agreement, or change it: either way a new version, which people agree to."""
    group = _group(request, pk)
    latest = services.latest_version(group)
    initial = {}
    if latest is not None:
        initial = {field: getattr(latest, field) for field in services.AGREEMENT_FIELDS}
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.agreement_version_create(
                group=group, author=request.membership, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Version %(number)s of the working agreement has been saved. Everyone in "
                    "the group is asked to agree to it."
                )
                % {"number": version.number},
            )
            return redirect("groups:agreement", org_slug=request.organisation.slug, pk=group.pk)
    return render(
        request, "groups/agreement_edit.html", {"form": form, "group": group, "latest": latest}
    )


@group_view(right=Right.READ)
@require_POST
def agreement_agree(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    group = _group(request, pk)
    version = _version(group, number)
    place = _current_place(request, group)
    if place is None:
        raise PermissionDenied
    try:
        services.agreement_consent_record(version=version, member=place)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("You have agreed to version %(number)s of the working agreement.")
            % {"number": version.number},
        )
    return redirect("groups:agreement", org_slug=request.organisation.slug, pk=group.pk)


@group_view(right=Right.MANAGE_GROUP)
@require_http_methods(["GET", "POST"])
def agreement_agree_for(request: HttpRequest, pk: int, number: int, member_pk: int) -> HttpResponse:
    """Staff record that someone without an account agreed, with the date they did."""
    group = _group(request, pk)
    version = _version(group, number)
    member = get_object_or_404(
        group.members.current().filter(membership__isnull=True), pk=member_pk
    )
    form = AgreementOnBehalfForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_consent_record_for(
                version=version,
                member=member,
                agreed_on=form.cleaned_data["agreed_on"],
                recorded_by=request.membership,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("You have recorded that %(name)s agreed to version %(number)s.")
                % {"name": member.name, "number": version.number},
            )
            return redirect("groups:agreement", org_slug=request.organisation.slug, pk=group.pk)
    return render(
        request,
        "groups/agreement_agree_for.html",
        {"form": form, "group": group, "version": version, "member": member},
    )


@group_view(right=Right.PUBLISH)
@require_http_methods(["GET", "POST"])
def agreement_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST publishes the agreement, or stops publishing it."""
    group = _group(request, pk)
    agreement = get_object_or_404(WorkingAgreement, group=group)
    if request.method == "POST":
        publish = agreement.published_at is None
        services.agreement_publish(agreement=agreement, published=publish)
        messages.success(
            request,
            _("The working agreement is now public.")
            if publish
            else _("The working agreement is no longer public."),
        )
        return redirect("groups:agreement", org_slug=request.organisation.slug, pk=group.pk)
    return render(
        request, "groups/agreement_publish.html", {"group": group, "agreement": agreement}
    )


@require_http_methods(["GET"])
def agreement_public(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """The published working agreement, for anyone. 404 unless it is published."""
    organisation = get_object_or_404(Organisation, slug=org_slug)
    group = get_object_or_404(Group.objects.for_organisation(organisation), pk=pk)
    version = selectors.published_agreement_version(group)
    if version is None:
        raise Http404
    return render(request, "groups/agreement_public.html", {"group": group, "version": version})


# --- Access needs --------------------------------------------------------------------------------


def _needs_initial(needs: AccessNeeds | None) -> dict:
    if needs is None:
        return {}
    return {
        "needs": [field for field, _label in NEED_FIELDS if getattr(needs, field)],
        "interpreter_language": needs.interpreter_language,
        "meeting_times_detail": needs.meeting_times_detail,
        "other_detail": needs.other_detail,
    }


@organisation_view()
@require_http_methods(["GET", "POST"])
def my_access_needs(request: HttpRequest) -> HttpResponse:
    """Your own access and communication needs, kept for this organisation only."""
    membership = request.membership
    needs = AccessNeeds.objects.filter(membership=membership).first()
    form = AccessNeedsForm(request.POST or None, initial=_needs_initial(needs))
    if request.method == "POST" and form.is_valid():
        try:
            services.access_needs_save(
                organisation=request.organisation, membership=membership, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your access needs have been saved."))
            return redirect("groups:my-access-needs", org_slug=request.organisation.slug)
    organised = membership.organised_activities.select_related("work").order_by("-date", "-pk")
    return render(
        request,
        "groups/my_access_needs.html",
        {"form": form, "needs": needs, "organised": organised},
    )
