"""The public feedback form, standard and easy read, reached by a cycle's short link.

No account is needed and nothing identifying is kept: no name, no address, no IP address, no
time more precise than the date. Two things protect it without a CAPTCHA:

* a one-time token kept in the session and used up when the answers are saved, so sending the
  same page twice (a double click, the back button) saves one response and then says "we
  already have your answers";
* a honeypot field people cannot see or reach, which robots fill in, and a limit on how many
  responses one IP address can send in an hour (django-ratelimit, in the database cache, which
  keeps a hash of the address for the hour and nothing with the response).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from withpeople.feedback import services
from withpeople.feedback.forms import PublicFeedbackForm
from withpeople.feedback.models import Channel, CycleStatus, ReviewCycle, StatementPicture
from withpeople.feedback.views import (
    _themes_and_i_statements,
    apply_validation_error,
    question_groups,
)

RATE_GROUP = "feedback:public-form"
SESSION_TOKENS = "feedback_form_tokens"
SESSION_USED = "feedback_used_tokens"
KEEP_TOKENS = 20


def _rate() -> str:
    return getattr(settings, "FEEDBACK_RATE_LIMIT", "10/h")


def _usage(request: HttpRequest, *, increment: bool) -> dict | None:
    return get_usage(request, group=RATE_GROUP, key="ip", rate=_rate(), increment=increment)


def _limited(request: HttpRequest) -> bool:
    usage = _usage(request, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def _new_token(request: HttpRequest) -> str:
    token = secrets.token_urlsafe(16)
    request.session[SESSION_TOKENS] = [
        *request.session.get(SESSION_TOKENS, [])[-KEEP_TOKENS + 1 :],
        token,
    ]
    return token


def _consume(request: HttpRequest, token: str) -> None:
    request.session[SESSION_TOKENS] = [
        t for t in request.session.get(SESSION_TOKENS, []) if t != token
    ]
    request.session[SESSION_USED] = [
        *request.session.get(SESSION_USED, [])[-KEEP_TOKENS + 1 :],
        token,
    ]
    _usage(request, increment=True)


def _cycle_by_code(code: str) -> ReviewCycle:
    return get_object_or_404(
        ReviewCycle.objects.select_related("organisation", "framework"), public_code=code
    )


# Not stored by the browser, and the form has autocomplete="off" so the browser does not put
# the answers back when someone goes back: on a shared device nobody sees another's answers,
# and going back gives a blank form rather than quietly sending the same answers again.
@never_cache
@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest, code: str) -> HttpResponse:
    return _feedback(request, code, easy_read=False)


@never_cache
@require_http_methods(["GET", "POST"])
def public_form_easy_read(request: HttpRequest, code: str) -> HttpResponse:
    return _feedback(request, code, easy_read=True)


def _feedback(request: HttpRequest, code: str, *, easy_read: bool) -> HttpResponse:
    cycle = _cycle_by_code(code)
    context = {"cycle": cycle, "easy_read": easy_read}
    if cycle.status != CycleStatus.OPEN:
        return render(request, "feedback/public_closed.html", context)
    themes, statements = _themes_and_i_statements(cycle.framework_id)
    form_kwargs = {"themes": themes, "statements": statements, "easy_read": easy_read}
    token = ""
    if request.method == "POST":
        token = request.POST.get("token", "")
        if token and token in request.session.get(SESSION_USED, []):
            return render(request, "feedback/public_already.html", context)
        if _limited(request):
            return render(request, "feedback/public_limited.html", context, status=429)
        form = PublicFeedbackForm(request.POST, **form_kwargs)
        if form.is_spam():
            # Robots are thanked and nothing is saved, so they learn nothing.
            _consume(request, token)
            return redirect("feedback:public-thanks", code=cycle.public_code)
        valid = form.is_valid()
        if token not in request.session.get(SESSION_TOKENS, []):
            token = ""
            form.add_error(
                None,
                _(
                    "This page was open for a long time, so your answers were not sent. "
                    "Check them and send them again"
                ),
            )
        elif valid:
            try:
                services.response_submit(
                    cycle=cycle,
                    answers=form.answers(),
                    stories=form.stories(),
                    perspective=form.perspective(),
                    channel=Channel.EASY_READ if easy_read else Channel.ONLINE,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                _consume(request, token)
                return redirect("feedback:public-thanks", code=cycle.public_code)
    else:
        form = PublicFeedbackForm(**form_kwargs)
    if not token:
        token = _new_token(request)
    pictures = (
        {
            p.statement_id: p
            for p in StatementPicture.objects.for_organisation(cycle.organisation).filter(
                statement__theme__framework=cycle.framework_id
            )
        }
        if easy_read
        else {}
    )
    groups = question_groups(form, themes, statements, pictures)
    template = "feedback/public_easy_read.html" if easy_read else "feedback/public_form.html"
    return render(request, template, {**context, "form": form, "groups": groups, "token": token})


@require_http_methods(["GET"])
def public_thanks(request: HttpRequest, code: str) -> HttpResponse:
    cycle = _cycle_by_code(code)
    return render(request, "feedback/public_thanks.html", {"cycle": cycle})


@require_http_methods(["GET"])
def public_picture(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cycle = _cycle_by_code(code)
    picture = get_object_or_404(
        StatementPicture.objects.for_organisation(cycle.organisation),
        statement__theme__framework=cycle.framework_id,
        pk=pk,
    )
    # Pictures are at most 2 MB, so they are sent whole rather than streamed.
    with picture.image.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=picture.content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
