"""Your notifications, the notifications you get, the one-click unsubscribe, and emails not sent.

A person's own list and choices need only that they are signed in: each query is limited to
their own rows (`Notification.objects.for_user`), so nobody sees another's. The unsubscribe
address needs no sign-in: its signed token says who and what (RFC 8058). Emails not sent are
for the organisation's admins.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from withpeople.core.pagination import paginate
from withpeople.notifications import selectors, services
from withpeople.notifications.forms import PreferencesForm
from withpeople.notifications.kinds import ALWAYS_SENT, NotificationKind
from withpeople.notifications.models import EmailStatus, Notification, OutgoingEmail
from withpeople.organisations.access import ADMINS, organisation_view

PAGE_SIZE = 50


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = paginate(
        request,
        Notification.objects.for_user(request.user)
        .select_related("organisation")
        .only("pk", "subject", "kind", "created_at", "read_at", "url", "organisation__name")
        .order_by("-created_at", "-pk"),
        per_page=PAGE_SIZE,
        label=_("Pages of your notifications"),
    )
    unread = selectors.unread_count(request.user)
    return render(
        request,
        "notifications/list.html",
        {"notifications": notifications, "unread": unread},
    )


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read and go to the page it is about."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.notification_mark_read(notification=notification)
    parts = urlsplit(notification.url)
    if not parts.path.startswith("/"):
        return redirect("notifications:list")
    return redirect(parts.path + (f"?{parts.query}" if parts.query else ""))


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("Every notification is marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = services.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, initial_choices=current)
    if request.method == "POST" and form.is_valid():
        for kind, delivery in form.cleaned_data.items():
            if current.get(kind) != delivery:
                services.preference_set(kind=kind, delivery=delivery, user=request.user)
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    always = [kind for kind in NotificationKind if kind in ALWAYS_SENT]
    return render(request, "notifications/preferences.html", {"form": form, "always": always})


@csrf_exempt  # RFC 8058: a mail client POSTs here with no session; the signed token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = services.unsubscribe_read(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    kind = NotificationKind(found.kind)
    if request.method == "POST":
        services.unsubscribe_apply(found)
        return render(request, "notifications/unsubscribed.html", {"kind": kind})
    return render(request, "notifications/unsubscribe.html", {"kind": kind, "email": found.email})


@organisation_view(ADMINS)
def failed_emails(request: HttpRequest) -> HttpResponse:
    emails = paginate(
        request,
        selectors.failed_emails(request.organisation),
        per_page=PAGE_SIZE,
        label=_("Pages of emails not sent"),
    )
    return render(request, "notifications/failed.html", {"emails": emails})


@organisation_view(ADMINS)
@require_POST
def failed_email_retry(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(
        OutgoingEmail.objects.filter(organisation=request.organisation), pk=pk
    )
    if email.status == EmailStatus.FAILED and services.email_retry(email=email):
        messages.success(
            request, _("The email to %(to)s is being sent again.") % {"to": email.to_email}
        )
    else:
        messages.info(request, _("That email is not waiting to be tried again."))
    return redirect("notifications:failed", org_slug=request.organisation.slug)
