"""Time and payments pages. Who may see what is decided in `withpeople.recognition.access`.

Every page that shows someone else's payment or expense data writes an audit entry.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from withpeople.core.forms import apply_validation_error
from withpeople.core.once import once
from withpeople.core.pagination import paginate
from withpeople.core.tables import BACKGROUND_FORMATS, made_in_background, table_response
from withpeople.domain import money
from withpeople.groups.models import GroupMember
from withpeople.organisations.access import ADMINS, STAFF_AND_ADMINS, organisation_view
from withpeople.recognition import exports, forms, selectors, services
from withpeople.recognition.access import (
    can_see,
    is_finance_staff,
    is_the_person,
    member_or_404,
    people_for,
)
from withpeople.recognition.models import (
    ExpenseCategory,
    ExpenseClaim,
    MoneyStatus,
    Payment,
    PaymentMethod,
    Preference,
    RecognitionPreference,
    TimeRecord,
    TimeStatus,
)
from withpeople.works.models import Activity


def _back_to(request: HttpRequest, member: GroupMember):
    if is_finance_staff(request.membership) and not is_the_person(request.membership, member):
        return redirect("recognition:person", org_slug=request.organisation.slug, pk=member.pk)
    return redirect("recognition:mine", org_slug=request.organisation.slug)


def _person_context(member_ids, organisation) -> dict:
    time_records = (
        TimeRecord.objects.for_organisation(organisation)
        .filter(member_id__in=member_ids)
        .select_related("activity", "member__group", "member__recognition_preference", "payment")
    )
    payments = (
        Payment.objects.for_organisation(organisation)
        .filter(member_id__in=member_ids)
        .select_related("member__group")
    )
    claims = (
        ExpenseClaim.objects.for_organisation(organisation)
        .filter(member_id__in=member_ids)
        .select_related("member__group", "category")
    )
    return {
        "time_records": time_records,
        "total_minutes": sum(record.minutes for record in time_records),
        "payments": payments,
        "payments_total": money.total(p.amount for p in payments),
        "claims": claims,
        "claims_total": money.total(c.amount for c in claims if c.status != MoneyStatus.REJECTED),
        "policy": services.policy_for(organisation),
    }


#: Rows per page in each list of the overview of time and payments.
RECOGNITION_PER_PAGE = 50


@organisation_view()
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """Partners land on their own page; staff and admins on the overview of everyone."""
    if not is_finance_staff(request.membership):
        return mine(request, org_slug=request.organisation.slug)
    organisation = request.organisation
    # Everyone with any time, payment, claim or choice recorded, found in the database.
    mine_ = OuterRef("pk")
    recorded = (
        Exists(TimeRecord.objects.filter(member=mine_))
        | Exists(Payment.objects.filter(member=mine_))
        | Exists(ExpenseClaim.objects.filter(member=mine_))
        | Exists(RecognitionPreference.objects.filter(member=mine_))
    )
    # Subqueries, not joins: a join to payments or claims would multiply the summed minutes.
    per_member = TimeRecord.objects.filter(member=OuterRef("pk")).values("member")
    people = paginate(
        request,
        GroupMember.objects.for_organisation(organisation)
        .filter(recorded)
        .select_related("group", "recognition_preference")
        .annotate(
            minutes=Subquery(per_member.annotate(total=Sum("minutes")).values("total")),
            not_recognised=Subquery(
                per_member.exclude(selectors.RECOGNISED).annotate(count=Count("pk")).values("count")
            ),
        )
        .order_by("name", "group__name", "pk"),
        per_page=RECOGNITION_PER_PAGE,
        label=_("Pages of people"),
    )
    claims_due = paginate(
        request,
        ExpenseClaim.objects.for_organisation(organisation)
        .filter(status__in=[MoneyStatus.DUE, MoneyStatus.APPROVED])
        .select_related("member__group", "category")
        .order_by("-date", "-id"),
        per_page=RECOGNITION_PER_PAGE,
        label=_("Pages of expense claims"),
        param="claims_page",
    )
    payments_open = paginate(
        request,
        Payment.objects.for_organisation(organisation)
        .filter(status__in=[MoneyStatus.DUE, MoneyStatus.APPROVED])
        .select_related("member__group")
        .order_by("-date", "-id"),
        per_page=RECOGNITION_PER_PAGE,
        label=_("Pages of payments"),
        param="payments_page",
    )
    own = GroupMember.objects.filter(membership=request.membership).exists()
    services.payments_viewed(
        organisation=request.organisation, actor=request.user, detail="overview"
    )
    return render(
        request,
        "recognition/overview.html",
        {
            "people": people,
            "claims_due": claims_due,
            "payments_open": payments_open,
            "has_own": own,
            "recognised": selectors.partner_time_recognised(organisation=organisation),
            "policy": services.policy_for(organisation),
        },
    )


@organisation_view()
@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    own = list(
        GroupMember.objects.for_organisation(organisation)
        .filter(membership=request.membership)
        .select_related("group", "recognition_preference")
    )
    context = _person_context([m.pk for m in own], organisation)
    context["own_members"] = own
    return render(request, "recognition/mine.html", context)


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_or_404(request.membership, pk)
    context = _person_context([member.pk], request.organisation)
    context["member"] = member
    context["preference"] = RecognitionPreference.objects.filter(member=member).first()
    services.payments_viewed(organisation=request.organisation, actor=request.user, subject=member)
    return render(request, "recognition/person.html", context)


@organisation_view()
@require_http_methods(["GET"])
def policy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "recognition/policy.html",
        {
            "policy": services.policy_for(request.organisation),
            "categories": ExpenseCategory.objects.for_organisation(request.organisation),
        },
    )


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest) -> HttpResponse:
    current = services.policy_for(request.organisation)
    initial = {
        name: forms.money_initial(getattr(current, name))
        if name.endswith("rate") or name.startswith("voucher_value")
        else getattr(current, name)
        for name in services.POLICY_FIELDS
    }
    form = forms.PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(
                organisation=request.organisation, updated_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The recognition policy has been updated."))
            return redirect("recognition:policy", org_slug=request.organisation.slug)
    return render(request, "recognition/policy_edit.html", {"form": form})


@organisation_view(roles=ADMINS)
@once
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    category = None
    initial = {}
    if pk is not None:
        category = get_object_or_404(
            ExpenseCategory.objects.for_organisation(request.organisation), pk=pk
        )
        initial = {
            "name": category.name,
            "limit_per_claim": forms.money_initial(category.limit_per_claim),
            "receipt_required": "yes" if category.receipt_required else "no",
        }
    form = forms.ExpenseCategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.expense_category_save(
                organisation=request.organisation, category=category, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The expense categories have been updated."))
            return redirect("recognition:policy", org_slug=request.organisation.slug)
    return render(request, "recognition/category_edit.html", {"form": form, "category": category})


def _only_yourself(request: HttpRequest, people) -> bool:
    """Whether every person the viewer may record for is the viewer, in one group or another."""
    return all(member.membership_id == request.membership.pk for member in people)


def _chosen_member(request: HttpRequest, people) -> dict:
    """Preselect the person named in ?member= when the viewer may record for them."""
    pk = request.GET.get("member", "")
    if pk.isdigit() and any(member.pk == int(pk) for member in people):
        return {"member": int(pk)}
    return {}


@organisation_view()
@once
@require_http_methods(["GET", "POST"])
def time_add(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    people = list(people_for(request.membership))
    if not people:
        return render(request, "recognition/no_groups.html", {})
    chosen = _chosen_member(request, people)
    # Every activity of the pieces of work of the groups these people are in, grouped by piece
    # of work; for one person chosen in the address, only their group's.
    groups = {m.group_id for m in people if not chosen or m.pk == chosen["member"]}
    activities = list(
        Activity.objects.filter(work__organisation=organisation, work__group_id__in=groups)
        .select_related("work")
        .order_by("work__title", "work_id", "-date", "-pk")
    )
    form = forms.TimeRecordForm(
        request.POST or None,
        people=people,
        yourself=_only_yourself(request, people),
        activities=activities,
        initial=chosen,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.time_record_create(
                organisation=organisation,
                member=data["member"],
                activity=data["activity"],
                date=data["date"],
                minutes=data["total_minutes"],
                description=data["description"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The time has been recorded."))
            return _back_to(request, data["member"])
    return render(request, "recognition/time_add.html", {"form": form})


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def time_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(
        TimeRecord.objects.for_organisation(request.organisation).select_related(
            "member__group", "activity"
        ),
        pk=pk,
    )
    if request.method == "POST":
        services.time_record_thank(time_record=record)
        messages.success(
            request, _("We have recorded that %(name)s was thanked.") % {"name": record.member}
        )
        return redirect(
            "recognition:person", org_slug=request.organisation.slug, pk=record.member_id
        )
    return render(request, "recognition/time_thanks.html", {"record": record})


@organisation_view()
@require_http_methods(["GET", "POST"])
def time_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The person, or staff with them, confirms time proposed from a meeting or changes it."""
    record = get_object_or_404(
        TimeRecord.objects.for_organisation(request.organisation).select_related(
            "member__group", "activity"
        ),
        pk=pk,
    )
    if not can_see(request.membership, record.member):
        raise Http404
    initial = {"hours": record.minutes // 60, "minutes": record.minutes % 60}
    form = forms.TimeConfirmForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.time_record_confirm(time_record=record, minutes=form.cleaned_data["total_minutes"])
        messages.success(request, _("The time has been confirmed."))
        return _back_to(request, record.member)
    return render(request, "recognition/time_confirm.html", {"form": form, "record": record})


@organisation_view()
@require_http_methods(["GET", "POST"])
def preference(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_or_404(request.membership, pk)
    current = RecognitionPreference.objects.filter(member=member).first()
    initial = {}
    if current is not None:
        initial = {
            "choice": current.choice,
            "payment_details": current.payment_details,
            "notes": current.notes,
            "benefits_note_seen": current.benefits_note_seen,
        }
    form = forms.PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(member=member, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The recognition preference has been saved."))
            return _back_to(request, member)
    if not is_the_person(request.membership, member) and request.method == "GET":
        services.recognition_preference_viewed(
            organisation=request.organisation, actor=request.user, member=member
        )
    return render(
        request,
        "recognition/preference.html",
        {
            "form": form,
            "member": member,
            "is_self": is_the_person(request.membership, member),
            "policy": services.policy_for(request.organisation),
        },
    )


@organisation_view(roles=STAFF_AND_ADMINS)
@once
@require_http_methods(["GET", "POST"])
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_or_404(request.membership, pk)
    # Time proposed from a meeting is paid once the person has confirmed it.
    unpaid = list(
        TimeRecord.objects.for_organisation(request.organisation)
        .filter(member=member, payment__isnull=True, status=TimeStatus.CONFIRMED)
        .select_related("activity")
    )
    preference = RecognitionPreference.objects.filter(member=member).first()
    initial = {"time_records": [record.pk for record in unpaid]}
    if preference is not None and preference.choice == Preference.VOUCHERS:
        initial["method"] = PaymentMethod.VOUCHER
    elif preference is not None and preference.choice == Preference.PAYMENT:
        initial["method"] = PaymentMethod.BANK_TRANSFER
    form = forms.PaymentForm(request.POST or None, time_records=unpaid, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_create(
                organisation=request.organisation,
                member=member,
                created_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The payment has been recorded as due."))
            return redirect("recognition:person", org_slug=request.organisation.slug, pk=member.pk)
    if request.method == "GET":
        services.payments_viewed(
            organisation=request.organisation,
            actor=request.user,
            subject=member,
            detail="new payment",
        )
    return render(
        request,
        "recognition/payment_add.html",
        {
            "form": form,
            "member": member,
            "preference": preference,
            "policy": services.policy_for(request.organisation),
        },
    )


def _payment(request: HttpRequest, pk: int) -> Payment:
    return get_object_or_404(
        Payment.objects.for_organisation(request.organisation).select_related(
            "member__group", "member__membership"
        ),
        pk=pk,
    )


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def payment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.payment_approve(payment=payment, approver=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The payment has been approved."))
            return redirect(
                "recognition:person", org_slug=request.organisation.slug, pk=payment.member_id
            )
    if request.method == "GET":
        services.payments_viewed(
            organisation=request.organisation, actor=request.user, subject=payment, detail="approve"
        )
    return render(request, "recognition/payment_approve.html", {"payment": payment, "error": error})


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def payment_paid(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk)
    form = forms.PaidForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_mark_paid(payment=payment, paid_on=form.cleaned_data["paid_on"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The payment has been marked as paid."))
            return redirect(
                "recognition:person", org_slug=request.organisation.slug, pk=payment.member_id
            )
    if request.method == "GET":
        services.payments_viewed(
            organisation=request.organisation,
            actor=request.user,
            subject=payment,
            detail="mark as paid",
        )
    return render(request, "recognition/payment_paid.html", {"form": form, "payment": payment})


@organisation_view()
@once
@require_http_methods(["GET", "POST"])
def claim_add(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    people = list(people_for(request.membership))
    if not people:
        return render(request, "recognition/no_groups.html", {})
    categories = list(ExpenseCategory.objects.for_organisation(organisation))
    if not categories:
        return render(request, "recognition/no_categories.html", {})
    form = forms.ExpenseClaimForm(
        request.POST or None,
        request.FILES or None,
        people=people,
        yourself=_only_yourself(request, people),
        categories=categories,
        initial=_chosen_member(request, people),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.expense_claim_create(
                organisation=organisation,
                member=data["member"],
                category=data["category"],
                date=data["date"],
                description=data["description"],
                amount=data["amount"],
                over_limit_reason=data["over_limit_reason"],
                receipt=data["receipt"] or None,
                claimed_by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Your claim for %(amount)s has been sent for approval.")
                % {"amount": money.format_pounds(claim.amount)},
            )
            return redirect("recognition:claim", org_slug=organisation.slug, pk=claim.pk)
    return render(
        request,
        "recognition/claim_add.html",
        {"form": form, "policy": services.policy_for(organisation)},
    )


def _claim(request: HttpRequest, pk: int) -> ExpenseClaim:
    """The claim, if the viewer may see it; 404 otherwise (never reveal that it exists)."""
    claim = (
        ExpenseClaim.objects.for_organisation(request.organisation)
        .select_related("member__group", "member__membership", "category", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if claim is None or not can_see(request.membership, claim.member):
        raise Http404
    return claim


@organisation_view()
@require_http_methods(["GET"])
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    if not is_the_person(request.membership, claim.member):
        services.expense_claim_viewed(
            organisation=request.organisation, actor=request.user, claim=claim
        )
    own = is_the_person(request.membership, claim.member) or claim.claimed_by_id == request.user.pk
    return render(
        request,
        "recognition/claim.html",
        {
            "claim": claim,
            "can_decide": is_finance_staff(request.membership) and not own,
            "is_staff": is_finance_staff(request.membership),
        },
    )


@organisation_view()
@require_http_methods(["GET"])
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    if not claim.receipt:
        raise Http404
    services.receipt_viewed(organisation=request.organisation, actor=request.user, claim=claim)
    extension = claim.receipt.name.rsplit(".", 1)[-1]
    response = FileResponse(
        claim.receipt.open("rb"),
        as_attachment=True,
        filename=f"receipt-{claim.pk}.{extension}",
        content_type=claim.receipt_content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _staff_claim(request: HttpRequest, pk: int) -> ExpenseClaim:
    return get_object_or_404(
        ExpenseClaim.objects.for_organisation(request.organisation).select_related(
            "member__group", "member__membership", "category"
        ),
        pk=pk,
    )


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def claim_approve(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _staff_claim(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.expense_claim_approve(claim=claim, approver=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The claim has been approved."))
            return redirect("recognition:claim", org_slug=request.organisation.slug, pk=claim.pk)
    if request.method == "GET":
        services.expense_claim_viewed(
            organisation=request.organisation, actor=request.user, claim=claim, detail="approve"
        )
    return render(request, "recognition/claim_approve.html", {"claim": claim, "error": error})


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def claim_reject(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _staff_claim(request, pk)
    form = forms.RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.expense_claim_reject(
                claim=claim, approver=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The claim has been rejected."))
            return redirect("recognition:claim", org_slug=request.organisation.slug, pk=claim.pk)
    if request.method == "GET":
        services.expense_claim_viewed(
            organisation=request.organisation, actor=request.user, claim=claim, detail="reject"
        )
    return render(request, "recognition/claim_reject.html", {"form": form, "claim": claim})


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def claim_paid(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _staff_claim(request, pk)
    form = forms.PaidForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.expense_claim_mark_paid(claim=claim, paid_on=form.cleaned_data["paid_on"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The claim has been marked as paid."))
            return redirect("recognition:claim", org_slug=request.organisation.slug, pk=claim.pk)
    if request.method == "GET":
        services.expense_claim_viewed(
            organisation=request.organisation,
            actor=request.user,
            claim=claim,
            detail="mark as paid",
        )
    return render(request, "recognition/claim_paid.html", {"form": form, "claim": claim})


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET"])
def export(request: HttpRequest) -> HttpResponseBase:
    """A GET form: the file comes back when the form is sent with a valid period."""
    bound = any(key in request.GET for key in ("start", "end", "file_format"))
    today = timezone.localdate()
    form = forms.ExportForm(
        request.GET if bound else None,
        initial={"start": today.replace(month=1, day=1), "end": today, "file_format": "csv"},
    )
    if bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        fmt = form.cleaned_data["file_format"]
        if fmt in BACKGROUND_FORMATS and made_in_background(
            fmt,
            selectors.finance_row_count(organisation=request.organisation, start=start, end=end),
        ):
            # A large spreadsheet is made by a worker: the page there asks for it.
            url = reverse(
                "packs:export-file",
                kwargs={"org_slug": request.organisation.slug, "kind": "finance"},
            )
            query = {"start": start.isoformat(), "end": end.isoformat(), "file_format": fmt}
            return redirect(f"{url}?{urlencode(query)}")
        table = exports.finance_export(
            organisation=request.organisation,
            actor=request.user,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            fmt=form.cleaned_data["file_format"],
        )
        return table_response(table, form.cleaned_data["file_format"])
    return render(request, "recognition/export.html", {"form": form})
