"""Pages for pieces of work: planning from the top of the ladder, evidence, check-ins, flags.

Who may do what follows the work's group, the same for partners and staff (PRODUCT.md, "Who
may do what"; the rule is `withpeople.domain.rights`, applied by `withpeople.works.access`):
members of the group record evidence and check in, its leads also plan, manage the group, run
check-in rounds and publish, admins do everything, and others in the organisation read.
Starting or importing a piece of work is not about one piece of work: staff and admins do it,
and whoever does it leads it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from withpeople.core.domain_text import (
    flag_text,
    partner_parts,
    reason_label,
    translate,
)
from withpeople.core.forms import apply_validation_error
from withpeople.core.ladder_labels import level_label, rung_name, rung_name_of, rung_summary
from withpeople.core.once import once
from withpeople.core.pagination import paginate
from withpeople.domain.assessment import assess_with_reasons
from withpeople.domain.ladder import RUNG_BY_SLUG, TOP
from withpeople.domain.rights import Right
from withpeople.domain.suppression import CHECKIN_THRESHOLD
from withpeople.domain.work_record import PARTNER_PARTS, WorkRecordInvalid
from withpeople.groups import selectors as group_selectors
from withpeople.groups import services as group_services
from withpeople.groups.selectors import published_agreement_version
from withpeople.organisations.access import STAFF_AND_ADMINS, can_organise, organisation_view
from withpeople.works import forms, services
from withpeople.works.access import visible_works, why, work_view
from withpeople.works.history import history_entries, history_index
from withpeople.works.ladder_svg import column_labels, ladder_svg
from withpeople.works.list_items import WORKS_PER_PAGE, table_labels, work_list_items
from withpeople.works.models import Activity, Aspect, CheckinRound, Work
from withpeople.works.selectors import (
    stored_assessment_with_reasons,
    work_record_for,
    works_filtered,
)


def _data(request: HttpRequest):
    """The posted data, even when empty, so an empty form is checked rather than ignored."""
    return request.POST if request.method == "POST" else None


def _work(request: HttpRequest, pk: int) -> Work:
    """The piece of work `work_view` found and checked: never another organisation's."""
    return request.work  # type: ignore[attr-defined]


def _missing_rung_texts() -> dict[str, str]:
    """What the ladder table says where a column has no rung, in the overview's words."""
    hidden = _("Not shown (fewer than %(threshold)s answers)") % {"threshold": CHECKIN_THRESHOLD}
    return {
        "intended": "",
        "partners": hidden,
        "staff": hidden,
        "evidenced": _("No evidence yet"),
    }


def _aspect_rows(plans, assessment) -> list[dict]:
    labels = column_labels()
    missing = _missing_rung_texts()
    rows = []
    for index, (plan, result) in enumerate(zip(plans, assessment["aspects"], strict=True)):
        rungs = {
            "intended": result["intended"],
            "partners": result["perceived"]["partners"],
            "staff": result["perceived"]["staff"],
            "evidenced": result["evidenced"],
        }
        caption_id = f"ladder-caption-{index}"
        rows.append(
            {
                "key": plan.key,
                "name": plan.name,
                "reason": plan.reason,
                "reason_label": reason_label(plan.reason.category) if plan.reason else "",
                "steps_down": plan.intended_rung != TOP.slug,
                "rungs": [
                    (labels[key], rung_name_of(slug) or missing[key]) for key, slug in rungs.items()
                ],
                "intended": rung_name_of(result["intended"]),
                "evidenced": rung_name_of(result["evidenced"]),
                "caption_id": caption_id,
                "svg": ladder_svg(caption_id=caption_id, rungs=rungs),
                "why": [translate(reason) for reason in result["why"]],
                "flags": [flag_text(flag) for flag in result["flags"]],
                "flag_slugs": result["flags"],
            }
        )
    return rows


# --- Pieces of work ---------------------------------------------------------------------------


@organisation_view()
@require_http_methods(["GET"])
def work_list(request: HttpRequest) -> HttpResponse:
    """The pieces of work, a page at a time, with their aspects and flags as last assessed.

    Filtered (level, status, flag), sorted and cut into pages in the database, from the stored
    assessments, so a page costs the same for ten pieces of work or thousands.
    """
    form = forms.WorkFilterForm(request.GET or None)
    chosen = {"level": "", "status": "", "flag": "", "sort": "newest"}
    if form.is_valid():
        chosen.update({name: value for name, value in form.cleaned_data.items() if value})
    pagination = paginate(
        request,
        works_filtered(visible_works(request.membership), **chosen),
        per_page=WORKS_PER_PAGE,
        label=_("Pages of pieces of work"),
    )
    return render(
        request,
        "works/list.html",
        {
            "items": work_list_items(
                pagination.object_list,
                list_url=reverse("works:list", kwargs={"org_slug": request.organisation.slug}),
            ),
            "labels": table_labels(),
            "pagination": pagination,
            "form": form,
            "filtered": any(chosen[name] for name in ("level", "status", "flag")),
        },
    )


@organisation_view(roles=STAFF_AND_ADMINS)
@once
@require_http_methods(["GET", "POST"])
def work_create(request: HttpRequest) -> HttpResponse:
    form = forms.WorkForm(_data(request), organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # Whoever starts a piece of work leads it, so that they can go on planning it.
        data["leads"] = {*data.get("leads", ()), request.membership}
        try:
            work = services.work_create(
                organisation=request.organisation, actor=request.user, **data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(title)s has been created. Every aspect starts at co-production.")
                % {"title": work.title},
            )
            return redirect("works:detail", org_slug=request.organisation.slug, pk=work.pk)
    return render(request, "works/work_form.html", {"form": form, "work": None})


@work_view(right=Right.PLAN)
@require_http_methods(["GET", "POST"])
def work_edit(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    initial = {
        "title": work.title,
        "summary": work.summary,
        "level": work.level,
        "status": work.status,
        "starts_on": work.starts_on,
        "ends_on": work.ends_on,
        "leads": list(work.leads.all()),
    }
    form = forms.WorkForm(_data(request), initial=initial, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.work_update(work=work, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The piece of work has been updated."))
            return redirect("works:detail", org_slug=request.organisation.slug, pk=work.pk)
    return render(request, "works/work_form.html", {"form": form, "work": work})


def work_page_assessment(work: Work) -> tuple[list, dict]:
    """The plans and assessment the work's page shows: as stored, or computed if they are not
    (they always are once migrated; `withpeople assessments check` says so)."""
    stored = stored_assessment_with_reasons(work)
    if stored is not None:
        return stored
    record = work_record_for(work)
    return list(record.aspects), assess_with_reasons(record)


@work_view(right=Right.READ)
@require_http_methods(["GET"])
def work_detail(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    plans, assessment = work_page_assessment(work)
    open_round = work.checkin_rounds.open().first()
    return render(
        request,
        "works/detail.html",
        {
            "work": work,
            "level": level_label(work.level),
            "leads": work.leads.select_related("user"),
            "record_leads": list(work.record_leads.all()),
            "aspects": _aspect_rows(plans, assessment),
            "work_flags": [flag_text(f) for f in assessment["work"]["flags"]],
            "open_round": open_round,
            "why": why(request.work_access),
            "can_check_in": open_round is not None
            and services.checkin_member(work, request.membership) is not None
            and not open_round.receipts.filter(membership=request.membership).exists(),
        },
    )


@work_view(right=Right.READ)
@require_http_methods(["GET"])
def work_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The portable record, ``withpeople.work/2``: the same JSON as `withpeople export-work`."""
    work = _work(request, pk)
    data = services.work_record_export(work=work, actor=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="work-{work.pk}.json"'
    return response


@organisation_view(roles=STAFF_AND_ADMINS)
@once
@require_http_methods(["GET", "POST"])
def work_import(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            work = services.work_import(
                organisation=request.organisation,
                record=form.record,
                leads=[request.membership],
            )
        except WorkRecordInvalid as invalid:
            for line in invalid.errors:
                form.add_error("file", line)
        else:
            messages.success(request, _("%(title)s has been imported.") % {"title": work.title})
            return redirect("works:detail", org_slug=request.organisation.slug, pk=work.pk)
    return render(request, "works/import.html", {"form": form})


def _confirm(request, work, *, template_context: dict, do, done_message: str) -> HttpResponse:
    if request.method == "POST":
        do()
        messages.success(request, done_message)
        return redirect("works:detail", org_slug=request.organisation.slug, pk=work.pk)
    return render(request, "works/confirm.html", {"work": work, **template_context})


@work_view(right=Right.PUBLISH)
@require_http_methods(["GET", "POST"])
def work_publish(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    return _confirm(
        request,
        work,
        template_context={
            "title": _("Publish the openness statement?"),
            "body": [
                _(
                    "Anyone, without signing in, will be able to read where you intend each "
                    "aspect of this piece of work to be on the ladder, and every reason for "
                    "stepping down from co-production."
                ),
                _("It shows no names and nothing about the people taking part."),
            ],
            "button": _("Publish"),
        },
        do=lambda: services.work_publish(
            work=work, actor=request.user, published_by=request.membership
        ),
        done_message=_("The openness statement is published."),
    )


@work_view(right=Right.PUBLISH)
@require_http_methods(["GET", "POST"])
def work_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    return _confirm(
        request,
        work,
        template_context={
            "title": _("Stop publishing the openness statement?"),
            "body": [_("The public page will no longer be found. You can publish it again.")],
            "button": _("Stop publishing"),
            "warning": True,
        },
        do=lambda: services.work_unpublish(work=work, actor=request.user),
        done_message=_("The openness statement is no longer published."),
    )


@require_http_methods(["GET"])
def openness(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """The public openness statement: intended rungs and reasons, no names. 404 unless published."""
    work = get_object_or_404(
        Work.objects.published().select_related("organisation"),
        organisation__slug=org_slug,
        pk=pk,
    )
    aspects = list(work.aspects.order_by("position", "id"))
    return render(
        request,
        "works/openness.html",
        {
            "work": work,
            "aspects": [
                {
                    "name": aspect.name,
                    "intended": rung_name(RUNG_BY_SLUG[aspect.intended_rung]),
                    "intended_summary": rung_summary(RUNG_BY_SLUG[aspect.intended_rung]),
                    "steps_down": aspect.intended_rung != TOP.slug,
                    "reason_label": reason_label(aspect.reason_category),
                    "explanation": aspect.reason_explanation,
                }
                for aspect in aspects
            ],
            "level": level_label(work.level),
            "agreement": published_agreement_version(work.group),
        },
    )


# --- Aspects ----------------------------------------------------------------------------------


def _aspect(work: Work, aspect_pk: int) -> Aspect:
    return get_object_or_404(work.aspects, pk=aspect_pk)


@work_view(right=Right.READ)
@require_http_methods(["GET"])
def aspect_list(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    return render(
        request,
        "works/aspects.html",
        {
            "work": work,
            "aspects": list(
                work.aspects.select_related("recorded_by__user").order_by("position", "id")
            ),
        },
    )


@work_view(right=Right.PLAN)
@once
@require_http_methods(["GET", "POST"])
def aspect_add(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    form = forms.AspectNameForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            aspect = services.aspect_add(work=work, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has been added at co-production.") % {"name": aspect.name},
            )
            return redirect("works:aspects", org_slug=request.organisation.slug, pk=work.pk)
    return render(request, "works/aspect_add.html", {"form": form, "work": work})


@work_view(right=Right.PLAN)
@require_http_methods(["GET", "POST"])
def aspect_edit(request: HttpRequest, pk: int, aspect_pk: int) -> HttpResponse:
    work = _work(request, pk)
    aspect = _aspect(work, aspect_pk)
    initial = {
        "name": aspect.name,
        "intended_rung": aspect.intended_rung,
        "reason_category": aspect.reason_category,
        "reason_explanation": aspect.reason_explanation,
    }
    form = forms.AspectPlanForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.aspect_update(
                aspect=aspect,
                actor=request.user,
                recorded_by=request.membership,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("The plan for %(name)s has been saved.") % {"name": aspect.name}
            )
            return redirect("works:aspects", org_slug=request.organisation.slug, pk=work.pk)
    return render(request, "works/aspect_edit.html", {"form": form, "work": work, "aspect": aspect})


@work_view(right=Right.PLAN)
@require_http_methods(["GET", "POST"])
def aspect_remove(request: HttpRequest, pk: int, aspect_pk: int) -> HttpResponse:
    work = _work(request, pk)
    aspect = _aspect(work, aspect_pk)
    if request.method == "POST":
        services.aspect_remove(aspect=aspect, actor=request.user)
        messages.success(request, _("%(name)s has been removed.") % {"name": aspect.name})
        return redirect("works:aspects", org_slug=request.organisation.slug, pk=work.pk)
    return render(
        request,
        "works/confirm.html",
        {
            "work": work,
            "title": _("Remove %(name)s?") % {"name": aspect.name},
            "body": [
                _(
                    "Its activities, decisions and check-in answers will be removed too. "
                    "This cannot be undone."
                )
            ],
            "button": _("Remove"),
            "warning": True,
            "cancel_url_name": "works:aspects",
        },
    )


@work_view(right=Right.PLAN)
@require_http_methods(["POST"])
def aspect_move(request: HttpRequest, pk: int, aspect_pk: int) -> HttpResponse:
    work = _work(request, pk)
    aspect = _aspect(work, aspect_pk)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        raise BadRequest("Say which way to move the aspect: up or down.")
    services.aspect_move(aspect=aspect, up=direction == "up")
    return redirect("works:aspects", org_slug=request.organisation.slug, pk=work.pk)


# --- People -----------------------------------------------------------------------------------


@work_view(right=Right.READ)
@require_http_methods(["GET"])
def people(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    return render(
        request,
        "works/people.html",
        {
            "work": work,
            "members": work.group.members.select_related("membership__user"),
        },
    )


@work_view(right=Right.MANAGE_GROUP)
@once
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    form = forms.PersonForm(_data(request), work=work)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.work_member_add(work=work, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s has joined the group.") % {"name": member.name})
            return redirect("works:people", org_slug=request.organisation.slug, pk=work.pk)
    return render(request, "works/person_add.html", {"form": form, "work": work})


# --- Evidence ---------------------------------------------------------------------------------


@work_view(right=Right.READ)
@require_http_methods(["GET"])
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    activities = (
        work.activities.select_related("aspect", "recorded_by__user", "withdrawn_by__user")
        .prefetch_related("participants")
        .order_by("withdrawn_at", "-date", "-id")
    )
    decisions = work.decisions.select_related(
        "aspect", "recorded_by__user", "withdrawn_by__user"
    ).order_by("withdrawn_at", "-date", "-id")
    return render(
        request,
        "works/evidence.html",
        {
            "work": work,
            "activities": activities,
            "decisions": decisions,
            "parts": partner_parts(),
        },
    )


def _activity_initial(activity: Activity) -> dict:
    return {
        "title": activity.title,
        "date": activity.date,
        "aspect": activity.aspect,
        "kind": activity.kind,
        "participants": list(activity.participants.all()),
        "parts": [part for part in PARTNER_PARTS if getattr(activity, part)],
        "notes": activity.notes,
    }


@work_view(right=Right.RECORD)
@once
@require_http_methods(["GET", "POST"])
def activity_form(request: HttpRequest, pk: int, activity_pk: int | None = None) -> HttpResponse:
    work = _work(request, pk)
    # A withdrawn activity is not changed: record it again if it is needed.
    activity = get_object_or_404(work.activities.counted(), pk=activity_pk) if activity_pk else None
    initial = _activity_initial(activity) if activity else {}
    form = forms.ActivityForm(_data(request), initial=initial, work=work, activity=activity)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parts = dict.fromkeys(data.pop("parts"), True)
        try:
            services.activity_save(
                work=work,
                activity=activity,
                actor=request.user,
                recorded_by=request.membership,
                # Staff who record an activity arrange it unless someone else does.
                organiser=request.membership if can_organise(request.membership) else None,
                **data,
                **parts,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The activity has been saved."))
            return redirect("works:evidence", org_slug=request.organisation.slug, pk=work.pk)
    return render(
        request, "works/activity_form.html", {"form": form, "work": work, "activity": activity}
    )


def _withdraw(request: HttpRequest, work: Work, evidence, *, title: str, body: list, do):
    """Ask why, then withdraw: the evidence stays, shown as withdrawn, in the history."""
    form = forms.WithdrawForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            do(form.cleaned_data["reason"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("It has been withdrawn. It stays in the history."))
            return redirect("works:evidence", org_slug=request.organisation.slug, pk=work.pk)
    return render(
        request,
        "works/withdraw.html",
        {"form": form, "work": work, "title": title, "body": body, "evidence": evidence},
    )


@work_view(right=Right.RECORD)
@require_http_methods(["GET", "POST"])
def activity_withdraw(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    work = _work(request, pk)
    activity = get_object_or_404(work.activities.counted(), pk=activity_pk)
    return _withdraw(
        request,
        work,
        activity,
        title=_("Withdraw the activity %(name)s?") % {"name": activity},
        body=[
            _(
                "It will no longer count as evidence. It stays in the history of this piece "
                "of work, shown as withdrawn, with your reason."
            )
        ],
        do=lambda reason: services.activity_withdraw(
            activity=activity, actor=request.user, reason=reason, withdrawn_by=request.membership
        ),
    )


@work_view(right=Right.RECORD)
@once
@require_http_methods(["GET", "POST"])
def decision_form(request: HttpRequest, pk: int, decision_pk: int | None = None) -> HttpResponse:
    work = _work(request, pk)
    decision = get_object_or_404(work.decisions.counted(), pk=decision_pk) if decision_pk else None
    initial = {}
    if decision:
        initial = {
            field: getattr(decision, field)
            for field in (
                "summary",
                "date",
                "aspect",
                "decided_by",
                "partner_input_changed_it",
                "change",
                "feedback_given_on",
            )
        }
    form = forms.DecisionForm(_data(request), initial=initial, work=work, decision=decision)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_save(
                work=work,
                decision=decision,
                actor=request.user,
                recorded_by=request.membership,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The decision has been saved."))
            return redirect("works:evidence", org_slug=request.organisation.slug, pk=work.pk)
    return render(
        request, "works/decision_form.html", {"form": form, "work": work, "decision": decision}
    )


@work_view(right=Right.RECORD)
@require_http_methods(["GET", "POST"])
def decision_withdraw(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    work = _work(request, pk)
    decision = get_object_or_404(work.decisions.counted(), pk=decision_pk)
    return _withdraw(
        request,
        work,
        decision,
        title=_("Withdraw this decision?"),
        body=[
            decision.summary,
            _(
                "It will no longer count as evidence. It stays in the history of this piece "
                "of work, shown as withdrawn, with your reason."
            ),
        ],
        do=lambda reason: services.decision_withdraw(
            decision=decision, actor=request.user, reason=reason, withdrawn_by=request.membership
        ),
    )


@work_view(right=Right.PLAN)
@require_http_methods(["GET", "POST"])
def decision_tell(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    """An organiser tells the group the outcome, which records when partners were told."""
    work = _work(request, pk)
    decision = get_object_or_404(work.decisions.counted(), pk=decision_pk)
    if request.method == "POST":
        told = services.decision_outcome_tell(decision=decision, actor=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)s person was told the outcome.",
                "%(count)s people were told the outcome.",
                told,
            )
            % {"count": told},
        )
        return redirect(
            "works:decision-edit",
            org_slug=request.organisation.slug,
            pk=work.pk,
            decision_pk=decision.pk,
        )
    body = [
        decision.summary,
        _(
            "Everyone in the group is told what was decided, by email or in their notifications, "
            "as each has chosen. Anyone already told is not told again."
        ),
    ]
    if decision.feedback_given_on is None:
        body.append(_("The decision will record that partners were told today."))
    return render(
        request,
        "works/confirm.html",
        {
            "work": work,
            "title": _("Tell the group the outcome?"),
            "body": body,
            "button": _("Tell the group the outcome"),
            "cancel_url_name": "works:evidence",
        },
    )


# --- History ----------------------------------------------------------------------------------

HISTORY_PER_PAGE = 25


@work_view(right=Right.READ)
@require_http_methods(["GET"])
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change to the piece of work, newest first: who, when, why, and old beside new."""
    work = _work(request, pk)
    pagination = paginate(
        request,
        history_index(work),  # type: ignore[arg-type]
        per_page=HISTORY_PER_PAGE,
        label=_("Pages of the history"),
    )
    return render(
        request,
        "works/history.html",
        {
            "work": work,
            "pagination": pagination,
            "entries": history_entries(pagination.object_list, work_ids=[work.pk]),
        },
    )


# --- Check-ins --------------------------------------------------------------------------------


@work_view(right=Right.READ)
@require_http_methods(["GET"])
def rounds(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    return render(
        request,
        "works/rounds.html",
        {
            "work": work,
            "rounds": work.checkin_rounds.all(),
            "open_round": work.checkin_rounds.open().first(),
        },
    )


@work_view(right=Right.RUN_CHECK_INS)
@once
@require_http_methods(["GET", "POST"])
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    form = forms.RoundForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_round_open(
                work=work,
                name=form.cleaned_data["name"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The check-in round is open."))
            return redirect("works:rounds", org_slug=request.organisation.slug, pk=work.pk)
    return render(request, "works/round_open.html", {"form": form, "work": work})


@work_view(right=Right.RUN_CHECK_INS)
@require_http_methods(["GET", "POST"])
def round_close(request: HttpRequest, pk: int, round_pk: int) -> HttpResponse:
    work = _work(request, pk)
    checkin_round = get_object_or_404(work.checkin_rounds.open(), pk=round_pk)
    if request.method == "POST":
        services.checkin_round_close(checkin_round=checkin_round)
        messages.success(request, _("The check-in round is closed. Its results are shown."))
        return redirect("works:rounds", org_slug=request.organisation.slug, pk=work.pk)
    return render(
        request,
        "works/confirm.html",
        {
            "work": work,
            "title": _("Close the round %(name)s?") % {"name": checkin_round.name},
            "body": [
                _(
                    "Nobody will be able to check in after it closes. The results will then "
                    "be shown for each group with at least 3 answers."
                )
            ],
            "button": _("Close the round"),
            "cancel_url_name": "works:rounds",
        },
    )


@work_view(right=Right.READ)
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """Say, anonymously, where you think each aspect is. Once per round.

    Anyone who may read the work opens this page; only a member of the group (the right to
    check in, `Right.CHECK_IN`) gets the form, and everyone else is told why not.
    """
    work = _work(request, pk)
    open_round: CheckinRound | None = work.checkin_rounds.open().first()
    member = services.checkin_member(work, request.membership)
    answered = (
        open_round is not None
        and open_round.receipts.filter(membership=request.membership).exists()
    )
    if open_round is None or member is None or answered:
        return render(
            request,
            "works/checkin_unavailable.html",
            {"work": work, "open_round": open_round, "member": member, "answered": answered},
        )
    form = forms.CheckinForm(_data(request), aspects=work.aspects.order_by("position", "id"))
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_submit(
                checkin_round=open_round, membership=request.membership, answers=form.answers()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your check-in has been recorded without your name."),
            )
            return redirect("works:detail", org_slug=request.organisation.slug, pk=work.pk)
    return render(
        request, "works/checkin.html", {"form": form, "work": work, "open_round": open_round}
    )


# Access needs at an activity -------------------------------------------------------------


@organisation_view()
@require_http_methods(["GET"])
def activity_access_needs(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The needs of the people at an activity: for its organisers, and each person's own."""
    activity = get_object_or_404(
        Activity.objects.filter(work__in=visible_works(request.membership)).select_related("work"),
        pk=activity_id,
    )
    people = group_selectors.activity_needs(activity)
    organiser = group_selectors.can_see_activity_needs(request.membership, activity)
    if not organiser:
        people = [(m, n) for m, n in people if m.membership_id == request.membership.pk]
        if not people:
            raise PermissionDenied
    with transaction.atomic():
        for member, needs in people:
            if needs is not None and member.membership_id != request.membership.pk:
                group_services.access_needs_viewed(
                    organisation=request.organisation,
                    actor=request.user,
                    subject=needs,
                    detail=f"activity {activity.pk}",
                )
    return render(
        request,
        "works/activity_access_needs.html",
        {"activity": activity, "people": people, "organiser": organiser},
    )
