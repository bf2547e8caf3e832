"""Exactly once: a form that creates something saves it once, however often it is sent.

Every creating form carries a one-time token (`{% once_token %}`, in the shared form page and
in each creating form's template), and its view is wrapped in `@once`. The first send of a
token claims it (a unique hash in `UsedFormToken`, committed before the view runs, so the
unique index decides between sends arriving together), then runs the view, which saves in
its own transactions as it always did (so what a view learns after its commit, such as
whether an invitation email went, is still known to it), and remembers the page the view
sent the person to. A second send of the same token, a double click, a browser's resend or
a replay, even one arriving at the same moment, finds the token taken, waits for the first
to finish and is then sent to that same page, and nothing more is saved.

A send that does not end in a redirect (the form had an error) gives the token back, so the
corrected form can be sent; a view that shows its result on the page rather than redirecting
(a new API token, shown once) names a page for later sends with `response.once_result_url`.

A send without a token is handled as before: the token protects people's double clicks and
resent pages, and anything that can post without one could as easily ask for a fresh one.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseRedirectBase
from django.utils.http import url_has_allowed_host_and_scheme

from withpeople.core.models import UsedFormToken
from withpeople.core.tokens import hash_token

#: The name of the hidden field that carries the token.
FIELD = "once_token"
#: How long a used token is kept: a form open longer than this can be sent again.
KEPT_FOR = timedelta(days=2)

#: How long a second send waits for the first to finish before showing the form again.
WAIT_FOR_FIRST_SEND = 10.0

#: Every view wrapped in `@once`, by "module.name": the tests check every creating URL is here.
ONCE_VIEWS: set[str] = set()


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _key(request: HttpRequest, token: str) -> str:
    # Bound to who sends it and where, so a token copied to another form or person is new there.
    user = getattr(request, "user", None)
    who = user.pk if user is not None and user.is_authenticated else ""
    return hash_token(f"{who}|{request.path}|{token}")


def _token(request: HttpRequest) -> str:
    if request.method != "POST":
        return ""
    token = request.POST.get(FIELD, "")
    return token if 0 < len(token) <= 200 else ""


def _claim(key: str) -> UsedFormToken | None:
    """Record the token as being used, or None if another send has it (or had it)."""
    try:
        with transaction.atomic():
            return UsedFormToken.objects.create(token_hash=key)
    except IntegrityError:
        return None


def _earlier_result(request: HttpRequest, key: str) -> HttpResponse | None:
    """Where the send that has the token led, once it has finished; None if it gave it back."""
    deadline = time.monotonic() + WAIT_FOR_FIRST_SEND
    while True:
        earlier = UsedFormToken.objects.filter(token_hash=key).values_list("result_url").first()
        if earlier is None:
            return None
        if earlier[0]:
            return HttpResponseRedirect(earlier[0])
        if time.monotonic() > deadline:
            # Still saving, or it stopped part way: show the form again, not a second copy.
            return HttpResponseRedirect(_form_page(request))
        time.sleep(0.05)


def _form_page(request: HttpRequest) -> str:
    """The page the form was sent from, if it is on this site; else the form's own address
    (which a form that only takes POST, such as a button on another page, does not show)."""
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return request.path


def once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Save what the view creates at most once per form token (see the module's docstring).

    Put it under the access decorators, so that someone who may not use the form is refused
    before any token is looked at.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = _token(request)
        if not token:
            return view(request, *args, **kwargs)
        key = _key(request, token)
        while (used := _claim(key)) is None:
            earlier = _earlier_result(request, key)
            if earlier is not None:
                return earlier
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            used.delete()
            raise
        result = getattr(response, "once_result_url", "")
        if isinstance(response, HttpResponseRedirectBase):
            result = response["Location"]
        if result:
            used.result_url = result[:500]
            used.save(update_fields=["result_url"])
        else:
            used.delete()
        return response

    ONCE_VIEWS.add(f"{view.__module__}.{view.__name__}")
    wrapped.saves_once = True  # type: ignore[attr-defined]
    return wrapped


def used_tokens_purge(*, today: date) -> int:
    """Forget used tokens older than `KEPT_FOR`. Returns how many."""
    deleted, _by_model = UsedFormToken.objects.filter(used_on__lt=today - KEPT_FOR).delete()
    return deleted
