"""Exactly once: a form that creates something saves it once, however often it is sent.

Every creating form carries a one-time token (`{% once_token %}`, in the shared form page and
in each creating form's template), and its view is wrapped in `@once`. The first send of a
token records it (a unique hash in `UsedFormToken`) in the same transaction as what the view
saves, and remembers the page the view sent the person to. A second send of the same token, a
double click, a browser's resend or a replay, even one arriving at the same moment, waits for
the first to finish and is then sent to that same page, and nothing more is saved.

A send that does not end in a redirect (the form had an error) gives the token back, so the
corrected form can be sent; a view that shows its result on the page rather than redirecting
(a new API token, shown once) names a page for later sends with `response.once_result_url`.

A send without a token is handled as before: the token protects people's double clicks and
resent pages, and anything that can post without one could as easily ask for a fresh one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseRedirectBase

from withpeople.core.models import UsedFormToken
from withpeople.core.tokens import hash_token

#: The name of the hidden field that carries the token.
FIELD = "once_token"
#: How long a used token is kept: a form open longer than this can be sent again.
KEPT_FOR = timedelta(days=2)

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
        with transaction.atomic():
            try:
                with transaction.atomic():
                    used = UsedFormToken.objects.create(token_hash=key)
            except IntegrityError:
                # Sent before, and that send has finished: show what it made.
                earlier = UsedFormToken.objects.filter(token_hash=key).first()
                return HttpResponseRedirect(
                    earlier.result_url if earlier and earlier.result_url else request.path
                )
            response = view(request, *args, **kwargs)
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
