"""The public feedback form, standard and easy read, reached by a cycle's short link.

No account is needed and nothing identifying is kept: no name, no address, no IP address, no
time more precise than the date. No cookie is needed either, so people whose browser blocks
cookies can send it too. What protects it, without a CAPTCHA:

* a one-time token in the form itself, signed so it cannot be made up, good for a day and for
  this cycle only, and used up in the same transaction that saves the answers (a table with a
  unique hash), so sending the same page twice, even two sends at once, saves one response and
  then says "we already have your answers";
* a check that a browser sent the form from our own pages (its Origin, or else Referer, header)
  in place of Django's CSRF cookie: see `_sent_from_another_site`;
* a honeypot field people cannot see or reach, which robots fill in, and a limit on how many
  responses one IP address can send in an hour (`withpeople.core.rate_limit`, counted in the
  database with one conditional update, so that sends arriving together cannot all slip under
  the limit; it keeps a hash of the address for the hour and nothing with the response).
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import is_same_domain
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from withpeople.core import fragments, rate_limit
from withpeople.core.fragments import fingerprint
from withpeople.core.network import client_ip
from withpeople.feedback import services
from withpeople.feedback.forms import PublicFeedbackForm
from withpeople.feedback.models import Channel, CycleStatus, ReviewCycle, StatementPicture
from withpeople.feedback.views import (
    _themes_and_i_statements,
    apply_validation_error,
    question_groups,
)

RATE_GROUP = "feedback:public-form"
SIGNING_SALT = "withpeople.feedback.public-form"


def _rate() -> str:
    return getattr(settings, "FEEDBACK_RATE_LIMIT", "10/h")


def _take(request: HttpRequest) -> bool:
    """Count one send from this address; False when it has used up its limit."""
    return rate_limit.take(group=RATE_GROUP, key=client_ip(request), rate=_rate())


def _limited(request: HttpRequest) -> bool:
    return rate_limit.reached(group=RATE_GROUP, key=client_ip(request), rate=_rate())


def _new_token(cycle: ReviewCycle) -> str:
    """A one-time token for this cycle's form: random, signed and dated by the signature."""
    return signing.dumps(
        {"c": cycle.public_code, "n": secrets.token_urlsafe(16)}, salt=SIGNING_SALT
    )


def _token_is_live(token: str, cycle: ReviewCycle) -> bool:
    """Made by us, for this cycle, in the last day (services.FORM_TOKEN_MAX_AGE)."""
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=services.FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:  # also a token too old (SignatureExpired)
        return False
    return isinstance(payload, dict) and payload.get("c") == cycle.public_code


def _sent_from_another_site(request: HttpRequest) -> bool:
    """True when the browser says the form was sent from a page on another site.

    Browsers send Origin with every form POST (as "null" when they will not say, which is
    refused), so a page elsewhere cannot make a visitor's browser send answers here in their
    name, from their address. A request with neither Origin nor Referer does not come from
    a page in a browser; the one-time token and the rate limit still apply to it. A header
    that is not a well-formed address counts as another site, as in Django's CSRF check.
    """
    origin = request.headers.get("Origin")
    try:
        if origin is None:
            referer = request.headers.get("Referer")
            if not referer:
                return False
            parts = urlsplit(referer)
            origin = f"{parts.scheme}://{parts.netloc}"
        if origin == f"{request.scheme}://{request.get_host()}":
            return False
        sent = urlsplit(origin)
    except ValueError:
        return True
    # The same allowances as Django's CSRF check, e.g. "https://*.example.org".
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        allowed = urlsplit(trusted)
        if allowed.scheme == sent.scheme and is_same_domain(
            sent.netloc, allowed.netloc.removeprefix("*")
        ):
            return False
    return True


def _cycle_by_code(code: str) -> ReviewCycle:
    return get_object_or_404(
        ReviewCycle.objects.select_related("organisation", "framework"), public_code=code
    )


# Not stored by the browser, and the form has autocomplete="off" so the browser does not put
# the answers back when someone goes back: on a shared device nobody sees another's answers,
# and going back gives a blank form rather than quietly sending the same answers again.
#
# Exempt from Django's CSRF check, which needs a cookie, so that people whose browsers block
# cookies can give feedback too. These two views only: nobody is signed in to them, so there is
# no one whose session a forged request could act as, and `_sent_from_another_site` refuses a
# form sent from another site's page, which is what the CSRF check would have stopped.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest, code: str) -> HttpResponse:
    return _feedback(request, code, easy_read=False)


@csrf_exempt
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
        if _sent_from_another_site(request):
            return render(request, "feedback/public_refused.html", context, status=403)
        token = request.POST.get("token", "")
        live = _token_is_live(token, cycle)
        if live and services.form_token_used(token):
            return render(request, "feedback/public_already.html", context)
        if _limited(request):
            return render(request, "feedback/public_limited.html", context, status=429)
        form = PublicFeedbackForm(request.POST, **form_kwargs)
        if form.is_spam():
            # Robots are thanked and nothing is saved, so they learn nothing.
            _take(request)
            return redirect("feedback:public-thanks", code=cycle.public_code)
        valid = form.is_valid()
        if not live:
            token = ""
            form.add_error(
                None,
                _(
                    "This page was open for a long time, so your answers were not sent. "
                    "Check them and send them again"
                ),
            )
        elif valid:
            # Counted before saving, in one step, so sends arriving together cannot all pass.
            if not _take(request):
                return render(request, "feedback/public_limited.html", context, status=429)
            try:
                services.response_submit(
                    cycle=cycle,
                    answers=form.answers(),
                    stories=form.stories(),
                    perspective=form.perspective(),
                    channel=Channel.EASY_READ if easy_read else Channel.ONLINE,
                    once_token=token,
                )
            except services.AlreadySubmitted:
                return render(request, "feedback/public_already.html", context)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect("feedback:public-thanks", code=cycle.public_code)
    else:
        form = PublicFeedbackForm(**form_kwargs)
    if not token:
        token = _new_token(cycle)
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
    questions_template = (
        "feedback/includes/easy_read_questions.html"
        if easy_read
        else "feedback/includes/questions.html"
    )
    questions_context = {**context, "form": form, "groups": groups}
    if form.is_bound:
        # Answers and errors are this person's own: drawn afresh.
        questions = render_to_string(questions_template, questions_context)
    else:
        # The empty questions are the same for everyone: drawn once per version of them.
        questions = fragments.rendered(
            questions_template,
            questions_context,
            key=(
                cycle.public_code,
                fingerprint(themes),
                fingerprint(statements),
                fingerprint(pictures.values()),
            ),
        )
    template = "feedback/public_easy_read.html" if easy_read else "feedback/public_form.html"
    return render(
        request, template, {**context, "form": form, "questions": questions, "token": token}
    )


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
