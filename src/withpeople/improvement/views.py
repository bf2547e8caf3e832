"""Results, self-assessment, action plans, You said, we did and exports of a review cycle."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from withpeople.core import fragments
from withpeople.core.domain_text import answer_label
from withpeople.core.forms import apply_validation_error
from withpeople.core.once import once
from withpeople.core.pagination import paginate
from withpeople.core.tables import FORMATS, download_links, table_response
from withpeople.domain.ladder import is_partner
from withpeople.domain.mir.results import ANSWERS
from withpeople.domain.mir.self_assessment import (
    FULLY_AND_NOT_YET,
    MEDIANS_FAR_APART,
    GroupView,
    compare,
)
from withpeople.domain.suppression import FEEDBACK_THRESHOLD
from withpeople.feedback.models import ReviewCycle, Statement, StatementKind, Story
from withpeople.improvement import exports, services
from withpeople.improvement.charts import bar_chart
from withpeople.improvement.forms import ActionForm, PublishForm, RatingForm
from withpeople.improvement.models import (
    Action,
    ActionStatus,
    Level,
    Publication,
    Rating,
)
from withpeople.improvement.results import (
    CycleResults,
    cycle_stories,
    previous_cycle,
    results_for_pages,
    results_refreshed_at,
    results_version,
    you_said_we_did_version,
)
from withpeople.improvement.templatetags.improvement_tags import percent
from withpeople.organisations.access import STAFF_AND_ADMINS, can_organise, organisation_view
from withpeople.organisations.models import PERSPECTIVE_CHOICES, Membership

PERSPECTIVE_NAMES = dict(PERSPECTIVE_CHOICES)
LEVEL_NAMES = dict(Level.choices)


def _cycle(request: HttpRequest, cycle_slug: str) -> ReviewCycle:
    """The cycle, looked up only among the organisation's own: anything else is 404."""
    return get_object_or_404(
        # With its organisation: every page of a cycle links to itself by the organisation's slug.
        ReviewCycle.objects.for_organisation(request.organisation).select_related(
            "framework", "organisation"
        ),
        slug=cycle_slug,
    )


def _can_write(request: HttpRequest) -> bool:
    return can_organise(request.membership)


def _is_published(cycle: ReviewCycle) -> bool:
    return Publication.objects.filter(cycle=cycle).exists()


def _results_url(cycle: ReviewCycle, anchor: str = "") -> str:
    url = reverse(
        "improvement:results",
        kwargs={"org_slug": cycle.organisation.slug, "cycle_slug": cycle.slug},
    )
    return f"{url}#{anchor}" if anchor else url


def _cycle_context(request: HttpRequest, cycle: ReviewCycle, section: str) -> dict:
    return {
        "cycle": cycle,
        "section": section,
        "can_write": _can_write(request),
        "is_published": _is_published(cycle),
        "threshold": FEEDBACK_THRESHOLD,
    }


# --- results -------------------------------------------------------------------------------


def _charts(data: CycleResults) -> None:
    """Attach a chart to each theme (positive by statement) and statement (the answers)."""
    suppressed = _("Fewer than %(threshold)s answers — not shown to protect anonymity") % {
        "threshold": FEEDBACK_THRESHOLD
    }
    for theme in data.themes:
        rows = []
        for index, entry in enumerate(theme.statements, start=1):
            figures = entry.figures
            label = f"{index}. {entry.statement.text}"
            if figures["suppressed"] or figures["positive_percent"] is None:
                rows.append((label, None, suppressed))
            else:
                value = figures["positive_percent"]
                rows.append((label, value, percent(value)))
        theme.chart = bar_chart(
            f"chart-{theme.theme.key}",
            _("Percentage of answers that were always or mostly, for each I statement in %(theme)s")
            % {"theme": theme.theme.title},
            rows,
            maximum=100,
        )
        for entry in theme.statements:
            counts = entry.figures.get("counts")
            entry.answer_rows = (
                [(answer_label(a), counts[a]) for a in ANSWERS] if counts is not None else []
            )
            entry.perspective_rows = [
                (PERSPECTIVE_NAMES.get(slug, slug), group)
                for slug, group in entry.figures["by_perspective"].items()
            ]
            if counts is not None:
                entry.chart = bar_chart(
                    f"chart-{entry.statement.key}",
                    _("How many people gave each answer to: %(statement)s")
                    % {"statement": entry.statement.text},
                    [(answer_label(a), counts[a], str(counts[a])) for a in ANSWERS],
                )


def _actions(cycle: ReviewCycle):
    return exports.cycle_actions(cycle)


#: Actions shown on one page of the action plan.
ACTIONS_PER_PAGE = 50
#: Stories shown on one page of the results: a cycle can have tens of thousands.
STORIES_PER_PAGE = 25


def _stories_in_order(cycle: ReviewCycle):
    """The cycle's stories theme by theme, in framework order, then as they were told."""
    return (
        Story.objects.filter(cycle=cycle)
        .select_related("theme")
        .order_by("theme__position", "theme_id", "response__submitted_on", "id")
    )


def _story_page(story: Story) -> int:
    """The page of the results on which `story` is shown."""
    theme = story.theme
    day = story.response.submitted_on
    before = (
        Story.objects.filter(cycle_id=story.cycle_id)
        .filter(
            Q(theme__position__lt=theme.position)
            | Q(theme__position=theme.position, theme_id__lt=theme.pk)
            | Q(theme_id=theme.pk, response__submitted_on__lt=day)
            | Q(theme_id=theme.pk, response__submitted_on=day, id__lt=story.pk)
        )
        .count()
    )
    return before // STORIES_PER_PAGE + 1


@organisation_view()
@require_GET
def results(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    stories = paginate(
        request,
        _stories_in_order(cycle),
        per_page=STORIES_PER_PAGE,
        label=_("Pages of what people told us"),
    )
    previous = previous_cycle(cycle)
    # The figures are the same for everyone who may see them, and change only with a new
    # published step: drawn once per version of what they show. Stories, with their forms,
    # are drawn for each request.
    version = results_version(cycle, previous)
    figures = fragments.kept(("results", *version), lambda: _drawn_figures(cycle))
    context = _cycle_context(request, cycle, "results")
    context |= {
        "figures": figures,
        "previous": previous,
        "refreshed_at": version.refreshed_at,
        "stories": stories,
        "story_list": _story_list(request, cycle, list(stories.object_list), context["can_write"]),
        "downloads": {what: _download_links(cycle, what) for what in exports.CYCLE_TABLES},
    }
    return render(request, "improvement/results.html", context)


#: Stands in for the CSRF token in a kept list of stories; replaced for each request.
CSRF_PLACEHOLDER = "csrf-token-for-this-request"


def _story_list(request: HttpRequest, cycle: ReviewCycle, stories: list[Story], can_write: bool):
    """One page of the cycle's stories, with the forms to choose them for those who may: drawn
    once per version of what it shows (every stored field of the stories and their themes,
    already read for the page) and kept without a token, which is put in for each request."""
    html = fragments.kept(
        (
            "results-stories",
            cycle.organisation.slug,
            cycle.slug,
            can_write,
            fragments.fingerprint(stories),
            fragments.fingerprint(story.theme for story in stories),
        ),
        lambda: render_to_string(
            "improvement/includes/results_stories.html",
            {
                "cycle": cycle,
                "stories": stories,
                "can_write": can_write,
                "csrf_placeholder": CSRF_PLACEHOLDER,
            },
        ),
    )
    if can_write:
        # Only the attribute itself: a story's text is escaped, so it cannot hold these quotes,
        # and someone who wrote the placeholder into a story does not have the token put there.
        html = html.replace(f'value="{CSRF_PLACEHOLDER}"', f'value="{get_token(request)}"')
    return mark_safe(html)  # noqa: S308 (our template, and a token Django made)


def _drawn_figures(cycle: ReviewCycle) -> dict:
    data = results_for_pages(cycle, stories=[])
    _charts(data)
    html = render_to_string(
        "improvement/includes/results_themes.html",
        {"data": data, "cycle": cycle, "threshold": FEEDBACK_THRESHOLD},
    )
    return {"responses": data.responses, "themes": mark_safe(html)}  # noqa: S308 (our template)


def _download_links(cycle: ReviewCycle, what: str) -> list[dict[str, str]]:
    return download_links(
        lambda fmt: reverse(
            "improvement:export",
            kwargs={
                "org_slug": cycle.organisation.slug,
                "cycle_slug": cycle.slug,
                "what": what,
                "fmt": fmt,
            },
        )
    )


@organisation_view()
@require_GET
def report(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    """Results and actions on one plain page, for printing."""
    cycle = _cycle(request, cycle_slug)
    data = results_for_pages(cycle)
    _charts(data)
    context = _cycle_context(request, cycle, "report") | {
        "data": data,
        "refreshed_at": results_refreshed_at(cycle),
        "actions": _actions(cycle),
    }
    return render(request, "improvement/report.html", context)


@organisation_view()
@require_GET
def export(request: HttpRequest, cycle_slug: str, what: str, fmt: str) -> HttpResponseBase:
    cycle = _cycle(request, cycle_slug)
    if fmt not in FORMATS or what not in exports.CYCLE_TABLES:
        raise Http404
    table, kept_as = exports.cycle_table_export(cycle=cycle, what=what, fmt=fmt, actor=request.user)
    return table_response(table, fmt, kept_as=kept_as)


# Staff and admins choose stories, as they publish actions and the page itself: choosing puts
# a person's own words on a public page, which the organisation answers for (a story can name
# or identify someone). Partners see every story, and which are chosen, on the same page.
@organisation_view(roles=STAFF_AND_ADMINS)
@require_POST
def story_choose(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    """Choose a story for You said, we did (`chosen=yes`) or take it off (`chosen=no`)."""
    cycle = _cycle(request, cycle_slug)
    story = get_object_or_404(
        Story.objects.select_related("response__cycle__organisation", "theme"),
        response__cycle=cycle,
        pk=pk,
    )
    choice = request.POST.get("chosen")
    if choice not in ("yes", "no"):
        return HttpResponseBadRequest(_("Choose yes or no."))
    services.story_choose(story=story, chosen=choice == "yes", chosen_by=request.user)
    if story.chosen_for_publication:
        messages.success(request, _("The story has been chosen for You said, we did."))
    else:
        messages.success(request, _("The story will not be shown on You said, we did."))
    page = _story_page(story)
    url = _results_url(cycle)
    if page > 1:
        url += f"?page={page}"
    return redirect(f"{url}#story-{story.pk}")


# --- self-assessment -----------------------------------------------------------------------

_REASON_TEXT = {
    MEDIANS_FAR_APART: gettext_lazy(
        "Staff's and partners' middle ratings are two or more levels apart."
    ),
    FULLY_AND_NOT_YET: gettext_lazy(
        "Someone in one group says fully while someone in the other says not yet."
    ),
}


def _middle_rating(view: GroupView) -> str:
    """A group's middle rating in words: one level, or the two different levels it falls between."""
    names = [LEVEL_NAMES[level] for level in view.middle]
    if not names:
        return _("No ratings yet")
    if len(names) == 1:
        return names[0]
    return _("Between %(lower)s and %(upper)s") % {"lower": names[0], "upper": names[1]}


@organisation_view()
@require_GET
def self_assessment(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    statements = Statement.objects.filter(
        theme__framework=cycle.framework, kind=StatementKind.WE
    ).select_related("theme")
    ratings = (
        Rating.objects.for_organisation(request.organisation)
        .filter(cycle=cycle)
        .order_by("updated_at", "id")
    )
    by_statement: dict[int, list[Rating]] = {}
    for rating in ratings:
        by_statement.setdefault(rating.statement_id, []).append(rating)
    themes: list[dict] = []
    differing = 0
    for statement in statements:
        given = by_statement.get(statement.pk, [])
        staff = [r.level for r in given if not is_partner(r.perspective)]
        partners = [r.level for r in given if is_partner(r.perspective)]
        comparison = compare(staff, partners)
        differing += comparison.differ
        mine = next((r for r in given if r.membership_id == request.membership.pk), None)
        item = {
            "statement": statement,
            "comparison": comparison,
            "rows": [
                (label, comparison.staff.counts[level], comparison.partners.counts[level])
                for level, label in Level.choices
            ],
            "staff_middle": _middle_rating(comparison.staff),
            "partners_middle": _middle_rating(comparison.partners),
            "reasons": [_REASON_TEXT[r] for r in comparison.reasons],
            "notes": [r.evidence for r in given if r.evidence],
            "mine": mine,
        }
        if not themes or themes[-1]["theme"] != statement.theme:
            themes.append({"theme": statement.theme, "items": []})
        themes[-1]["items"].append(item)
    context = _cycle_context(request, cycle, "self-assessment") | {
        "themes": themes,
        "differing": differing,
    }
    return render(request, "improvement/self_assessment.html", context)


@organisation_view()
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, cycle_slug: str, statement_key: str) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    statement = get_object_or_404(
        Statement.objects.select_related("theme"),
        theme__framework=cycle.framework,
        kind=StatementKind.WE,
        key=statement_key,
    )
    mine = Rating.objects.filter(
        cycle=cycle, statement=statement, membership=request.membership
    ).first()
    initial = {"level": mine.level, "evidence": mine.evidence} if mine else {}
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_save(
                cycle=cycle, statement=statement, membership=request.membership, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your rating has been saved."))
            return redirect(
                "improvement:self-assessment",
                org_slug=request.organisation.slug,
                cycle_slug=cycle.slug,
            )
    context = _cycle_context(request, cycle, "self-assessment") | {
        "form": form,
        "statement": statement,
        "group": _("partners") if is_partner(request.membership.perspective) else _("staff"),
    }
    return render(request, "improvement/rate.html", context)


# --- actions -------------------------------------------------------------------------------


@organisation_view()
@require_GET
def action_list(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    counts = {status: 0 for status, _label in ActionStatus.choices}
    for row in (
        Action.objects.for_organisation(cycle.organisation)
        .filter(cycle=cycle)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["status"]] = row["n"]
    actions = paginate(
        request,
        # The list shows owners only, so statements and stories are not fetched for it.
        Action.objects.for_organisation(cycle.organisation)
        .filter(cycle=cycle)
        .prefetch_related(Prefetch("owners", queryset=Membership.objects.select_related("user")))
        .order_by("due_on", "created_at", "id"),
        per_page=ACTIONS_PER_PAGE,
        label=_("Pages of the action plan"),
    )
    context = _cycle_context(request, cycle, "actions") | {
        "actions": actions,
        "total": sum(counts.values()),
        "status_counts": [(label, counts[status]) for status, label in ActionStatus.choices],
    }
    return render(request, "improvement/actions.html", context)


@organisation_view()
@require_GET
def action_detail(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    action = get_object_or_404(_actions(cycle), pk=pk)
    data = results_for_pages(cycle, stories=())
    linked = []
    for statement in action.statements.all():
        entry = data.statement(statement.key) if statement.kind == StatementKind.I else None
        linked.append({"statement": statement, "result": entry})
    context = _cycle_context(request, cycle, "actions") | {"action": action, "linked": linked}
    return render(request, "improvement/action_detail.html", context)


def _action_fields(form: ActionForm) -> dict:
    data = dict(form.cleaned_data)
    data.setdefault("stories", [])
    return data


@organisation_view(roles=STAFF_AND_ADMINS)
@once
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    form = ActionForm(request.POST or None, cycle=cycle, initial={"status": ActionStatus.PLANNED})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(cycle=cycle, **_action_fields(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The action has been added."))
            return redirect(
                "improvement:action-detail",
                org_slug=request.organisation.slug,
                cycle_slug=cycle.slug,
                pk=action.pk,
            )
    context = _cycle_context(request, cycle, "actions") | {"form": form, "action": None}
    return render(request, "improvement/action_form.html", context)


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    action = get_object_or_404(_actions(cycle), pk=pk)
    initial = {
        "title": action.title,
        "description": action.description,
        "statements": list(action.statements.all()),
        "stories": list(action.stories.all()),
        "owners": list(action.owners.all()),
        "due_on": action.due_on,
        "status": action.status,
        "explanation": action.explanation,
        "published": action.published,
    }
    form = ActionForm(request.POST or None, cycle=cycle, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(action=action, **_action_fields(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The action has been updated."))
            return redirect(
                "improvement:action-detail",
                org_slug=request.organisation.slug,
                cycle_slug=cycle.slug,
                pk=action.pk,
            )
    context = _cycle_context(request, cycle, "actions") | {"form": form, "action": action}
    return render(request, "improvement/action_form.html", context)


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def action_delete(request: HttpRequest, cycle_slug: str, pk: int) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    action = get_object_or_404(
        Action.objects.for_organisation(request.organisation), pk=pk, cycle=cycle
    )
    if request.method == "POST":
        services.action_delete(action=action)
        messages.success(
            request, _("The action “%(title)s” has been deleted.") % {"title": action.title}
        )
        return redirect(
            "improvement:actions", org_slug=request.organisation.slug, cycle_slug=cycle.slug
        )
    context = _cycle_context(request, cycle, "actions") | {"action": action}
    return render(request, "improvement/action_delete.html", context)


# --- You said, we did ----------------------------------------------------------------------


def _you_said_we_did_context(cycle: ReviewCycle) -> dict:
    """Only what may be public: suppressed figures, chosen stories and published actions."""
    data = results_for_pages(cycle, stories=_chosen_stories(cycle))
    actions = (
        Action.objects.for_organisation(cycle.organisation)
        .filter(cycle=cycle)
        .published()
        .prefetch_related(
            Prefetch("statements", queryset=Statement.objects.select_related("theme"))
        )
    )
    return {
        "cycle": cycle,
        "organisation": cycle.organisation,
        "data": data,
        "actions": actions,
        "threshold": FEEDBACK_THRESHOLD,
        "refreshed_at": results_refreshed_at(cycle),
    }


def _chosen_stories(cycle: ReviewCycle):
    return cycle_stories(cycle, chosen_only=True)


def _published_cycle(org_slug: str, cycle_slug: str) -> ReviewCycle:
    """The cycle, only if its page is published, in one query: 404 for an unknown organisation,
    an unknown cycle, another organisation's cycle under this slug, or an unpublished page."""
    return get_object_or_404(
        ReviewCycle.objects.select_related("framework", "organisation").filter(
            organisation__slug=org_slug, you_said_we_did__isnull=False
        ),
        slug=cycle_slug,
    )


def _you_said_we_did_body(cycle: ReviewCycle, template_name: str):
    """The body of You said, we did: the same for everyone, so drawn once per version of what
    it shows (`you_said_we_did_version`, read from the database on every request) and kept."""
    return fragments.kept_while_unchanged(
        lambda: ("you-said-we-did", template_name, *you_said_we_did_version(cycle)),
        lambda: mark_safe(  # noqa: S308 (our template)
            render_to_string(template_name, _you_said_we_did_context(cycle))
        ),
    )


@require_GET
def you_said_we_did(request: HttpRequest, org_slug: str, cycle_slug: str) -> HttpResponse:
    """The public page: no sign-in; 404 until staff publish it."""
    cycle = _published_cycle(org_slug, cycle_slug)
    context = {
        "cycle": cycle,
        "organisation": cycle.organisation,
        "preview": False,
        "body": _you_said_we_did_body(cycle, "improvement/includes/you_said_we_did_body.html"),
    }
    return render(request, "improvement/you_said_we_did.html", context)


@require_GET
def you_said_we_did_easy_read(request: HttpRequest, org_slug: str, cycle_slug: str) -> HttpResponse:
    cycle = _published_cycle(org_slug, cycle_slug)
    context = {
        "cycle": cycle,
        "organisation": cycle.organisation,
        "body": _you_said_we_did_body(
            cycle, "improvement/includes/you_said_we_did_easy_read_body.html"
        ),
    }
    return render(request, "improvement/you_said_we_did_easy_read.html", context)


@organisation_view()
@require_GET
def you_said_we_did_preview(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    """What the public page shows, for members, whether or not it is published yet."""
    cycle = _cycle(request, cycle_slug)
    context = _cycle_context(request, cycle, "you-said-we-did") | {
        "organisation": cycle.organisation,
        "preview": True,
        "body": _you_said_we_did_body(cycle, "improvement/includes/you_said_we_did_body.html"),
    }
    return render(request, "improvement/you_said_we_did.html", context)


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    was_published = _is_published(cycle)
    form = PublishForm(request.POST or None, initial={"look_again_on": cycle.look_again_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_publish(
                cycle=cycle,
                published_by=request.user,
                look_again_on=form.cleaned_data["look_again_on"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if was_published:
                messages.success(request, _("The date you will look again has been saved."))
            else:
                messages.success(request, _("You said, we did is now public."))
            return redirect(
                "improvement:you-said-we-did-preview",
                org_slug=request.organisation.slug,
                cycle_slug=cycle.slug,
            )
    context = _cycle_context(request, cycle, "you-said-we-did") | {
        "form": form,
        "published_actions": Action.objects.filter(cycle=cycle).published().count(),
    }
    return render(request, "improvement/publish.html", context)


@organisation_view(roles=STAFF_AND_ADMINS)
@require_http_methods(["GET", "POST"])
def unpublish(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    cycle = _cycle(request, cycle_slug)
    if request.method == "POST":
        services.publication_unpublish(cycle=cycle)
        messages.success(request, _("You said, we did is no longer public."))
        return redirect(
            "improvement:you-said-we-did-preview",
            org_slug=request.organisation.slug,
            cycle_slug=cycle.slug,
        )
    return render(
        request, "improvement/unpublish.html", _cycle_context(request, cycle, "you-said-we-did")
    )
