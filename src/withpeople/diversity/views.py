"""Pages for diversity monitoring: consent, a person's own answers, the figures, the questions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from withpeople.core.once import once
from withpeople.diversity import services
from withpeople.diversity.forms import (
    CategoryForm,
    ConsentForm,
    DiversityAnswersForm,
    OptionForm,
)
from withpeople.diversity.models import (
    DiversityAnswer,
    DiversityCategory,
    DiversityConsent,
    DiversityOption,
)
from withpeople.diversity.selectors import diversity_summary
from withpeople.domain.suppression import DIVERSITY_THRESHOLD
from withpeople.organisations.access import ADMINS, organisation_view


def _categories(organisation):
    return DiversityCategory.objects.for_organisation(organisation).prefetch_related("options")


# Diversity: consent, answers, withdrawal ---------------------------------------------------


@organisation_view()
@require_http_methods(["GET", "POST"])
def diversity_consent(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    if DiversityConsent.objects.filter(membership=membership).exists():
        return redirect("diversity:diversity-answers", org_slug=request.organisation.slug)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.diversity_consent_give(membership=membership)
        return redirect("diversity:diversity-answers", org_slug=request.organisation.slug)
    return render(
        request,
        "diversity/diversity_consent.html",
        {
            "form": form,
            "wording": services.consent_wording(request.organisation),
            "threshold": DIVERSITY_THRESHOLD,
            "categories": _categories(request.organisation),
        },
    )


@organisation_view()
@require_http_methods(["GET", "POST"])
def diversity_answers(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    if not DiversityConsent.objects.filter(membership=membership).exists():
        return redirect("diversity:diversity-consent", org_slug=request.organisation.slug)
    categories = list(_categories(request.organisation))
    initial = dict(
        DiversityAnswer.objects.filter(membership=membership).values_list(
            "category_id", "option_id"
        )
    )
    form = DiversityAnswersForm(
        request.POST if request.method == "POST" else None,
        categories=categories,
        initial_answers=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.diversity_answers_save(membership=membership, answers=form.answers())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you. Your answers have been saved."))
            return redirect("privacy:your-data", org_slug=request.organisation.slug)
    return render(
        request,
        "diversity/diversity_answers.html",
        {"form": form, "categories": categories},
    )


@organisation_view()
@require_http_methods(["GET", "POST"])
def diversity_withdraw(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    consent = DiversityConsent.objects.filter(membership=membership).first()
    answers = DiversityAnswer.objects.filter(membership=membership).count()
    if request.method == "POST":
        services.diversity_withdraw(membership=membership, actor=request.user)
        messages.success(
            request,
            _("You have withdrawn your consent. We have deleted all your diversity answers."),
        )
        return redirect("privacy:your-data", org_slug=request.organisation.slug)
    return render(
        request, "diversity/diversity_withdraw.html", {"consent": consent, "answers": answers}
    )


# Diversity figures -------------------------------------------------------------------------


@organisation_view()
@require_GET
def diversity_figures(request: HttpRequest) -> HttpResponse:
    summary = diversity_summary(organisation=request.organisation)
    services.diversity_viewed(
        organisation=request.organisation,
        actor=request.user,
        figures=summary,
        detail="diversity figures",
    )
    return render(
        request,
        "diversity/diversity_figures.html",
        {
            "summary": summary,
            "threshold": DIVERSITY_THRESHOLD,
            "works": _works(request.membership),
        },
    )


def _works(membership):
    from withpeople.works.access import visible_works

    return visible_works(membership).order_by("title")


@organisation_view()
@require_GET
def diversity_work(request: HttpRequest, pk: int) -> HttpResponse:
    work = get_object_or_404(_works(request.membership), pk=pk)
    summary = diversity_summary(organisation=request.organisation, work=work)
    services.diversity_viewed(
        organisation=request.organisation,
        actor=request.user,
        figures=summary,
        detail=f"diversity figures, work {work.pk}",
    )
    return render(
        request,
        "diversity/diversity_figures.html",
        {
            "summary": summary,
            "threshold": DIVERSITY_THRESHOLD,
            "work": work,
        },
    )


# Diversity questions (admins) --------------------------------------------------------------


@organisation_view(roles=ADMINS)
@require_GET
def category_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "diversity/category_list.html",
        {"categories": _categories(request.organisation)},
    )


@organisation_view(roles=ADMINS)
@once
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = request.organisation
    category = (
        get_object_or_404(DiversityCategory.objects.for_organisation(organisation), pk=pk)
        if pk
        else DiversityCategory(organisation=organisation)
    )
    form = CategoryForm(request.POST if request.method == "POST" else None, instance=category)
    if request.method == "POST" and form.is_valid():
        services.diversity_category_save(category=form.instance)
        messages.success(request, _("The question has been saved."))
        return redirect("diversity:categories", org_slug=organisation.slug)
    return render(request, "diversity/category_form.html", {"form": form, "category": category})


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def category_delete(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    category = get_object_or_404(DiversityCategory.objects.for_organisation(organisation), pk=pk)
    if request.method == "POST":
        services.diversity_category_delete(category=category)
        messages.success(request, _("The question and everyone's answers to it were deleted."))
        return redirect("diversity:categories", org_slug=organisation.slug)
    return render(
        request,
        "diversity/category_delete.html",
        {"category": category},
    )


def _option(request: HttpRequest, pk: int) -> DiversityOption:
    return get_object_or_404(
        DiversityOption.objects.select_related("category").filter(
            category__organisation=request.organisation
        ),
        pk=pk,
    )


@organisation_view(roles=ADMINS)
@once
@require_http_methods(["GET", "POST"])
def option_create(request: HttpRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(
        DiversityCategory.objects.for_organisation(request.organisation), pk=pk
    )
    return _option_form(request, DiversityOption(category=category))


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def option_change(request: HttpRequest, pk: int) -> HttpResponse:
    return _option_form(request, _option(request, pk))


def _option_form(request: HttpRequest, option: DiversityOption) -> HttpResponse:
    form = OptionForm(request.POST if request.method == "POST" else None, instance=option)
    if request.method == "POST" and form.is_valid():
        services.diversity_option_save(option=form.instance)
        messages.success(request, _("The answer has been saved."))
        return redirect("diversity:categories", org_slug=request.organisation.slug)
    return render(request, "diversity/option_form.html", {"form": form, "option": option})


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def option_delete(request: HttpRequest, pk: int) -> HttpResponse:
    option = _option(request, pk)
    if request.method == "POST":
        services.diversity_option_delete(option=option)
        messages.success(request, _("The answer was deleted, with everyone's choice of it."))
        return redirect("diversity:categories", org_slug=request.organisation.slug)
    return render(request, "diversity/option_delete.html", {"option": option})
