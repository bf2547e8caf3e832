"""Telling people: the one entry point every app calls, `notify`, and the outbox behind it.

`notify` is called inside the transaction of the change it is about. It renders each
recipient's message at once (subject, plain text, HTML, attachments) from the caller's
templates, so what is sent is what was true when it happened, and writes it to the outbox in
that transaction. Once the transaction commits, a task sends it. A notification with the same
kind, key and recipient is made only once, so a reminder or a retried task never tells anyone
twice.

Templates, for `template="meetings/notifications/invitation"`:
- `meetings/notifications/invitation_subject.txt` (one line),
- `meetings/notifications/invitation.txt` (the plain-text part; required),
- `meetings/notifications/invitation.html` (optional; the HTML part),
- the same names ending `_easy_read` (optional), used for people whose communication needs ask
  for easy read.
Each is rendered with the caller's `context` plus `recipient` (a `Recipient`) and `url` (the
absolute address of the page the notification is about).

Sending (docs/decisions/0020-notifications-outbox.md): a send task claims its outbox row with a
conditional UPDATE (queued, or sending with an expired lease, becomes sending with a new lease),
sends it with the configured email backend and marks it sent. A failure puts it back in the
queue after a growing delay; after the last attempt it is failed and shown to the
organisation's admins. A worker killed mid-send leaves the row "sending"; once its lease has
run out, `outbox_sweep` (run by every tick) queues it again. It keeps its Message-ID, so the
rare second copy (the server accepted it just before the worker died) is the same message.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email.utils import make_msgid
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from withpeople.notifications.kinds import ALWAYS_SENT, NotificationKind
from withpeople.notifications.models import (
    Delivery,
    EmailStatus,
    Notification,
    NotificationPreference,
    OutgoingEmail,
)

if TYPE_CHECKING:
    from withpeople.accounts.models import User
    from withpeople.organisations.models import Organisation

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "withpeople.notifications.unsubscribe"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    #: For example "text/calendar; method=REQUEST; charset=utf-8".
    mimetype: str


@dataclass(frozen=True)
class Recipient:
    """Someone to tell: a user, or an email address for someone without an account."""

    email: str
    name: str = ""
    user: User | None = None
    easy_read: bool = False
    #: Anything else the templates need about this person.
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of_user(cls, user: User, *, easy_read: bool = False) -> Recipient:
        return cls(email=user.email, name=user.name, user=user, easy_read=easy_read)


# --- Settings -----------------------------------------------------------------------------------


def retry_delays() -> list[float]:
    """Seconds to wait before each attempt after the first: 1 min, 5, 25, about 2 h, 10 h."""
    return list(getattr(settings, "NOTIFICATIONS_RETRY_DELAYS", [60, 300, 1500, 7500, 36000]))


def send_lease() -> dt.timedelta:
    """How long a worker holds an email it is sending; well above the mail server's timeouts."""
    return dt.timedelta(seconds=float(getattr(settings, "NOTIFICATIONS_SEND_LEASE_SECONDS", 300)))


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- Preferences --------------------------------------------------------------------------------


def delivery_for(*, kind: str, user=None, email: str = "") -> str:
    """How this person wants to hear of this kind: ALWAYS_SENT kinds are always sent now."""
    if kind in ALWAYS_SENT:
        return Delivery.NOW
    if user is not None:
        found = NotificationPreference.objects.filter(user=user, kind=kind)
    else:
        found = NotificationPreference.objects.filter(user=None, email=email.lower(), kind=kind)
    return found.values_list("delivery", flat=True).first() or Delivery.NOW


def preference_set(*, kind: str, delivery: str, user=None, email: str = "") -> None:
    """Record how someone wants to hear of a kind. ALWAYS_SENT kinds cannot be changed."""
    if kind in ALWAYS_SENT:
        raise ValueError(f"{kind} is always sent")
    if delivery not in Delivery.values:
        raise ValueError(delivery)
    if user is not None:
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery, "email": ""}
        )
    else:
        NotificationPreference.objects.update_or_create(
            user=None, email=email.lower(), kind=kind, defaults={"delivery": delivery}
        )


def preferences_of(user) -> dict[str, str]:
    """Every kind with how this person hears of it."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {
        kind: Delivery.NOW if kind in ALWAYS_SENT else chosen.get(kind, Delivery.NOW)
        for kind in NotificationKind.values
    }


# --- Unsubscribe tokens (RFC 8058) ------------------------------------------------------------


def unsubscribe_token(*, kind: str, email: str, user_id: int | None) -> str:
    return signing.dumps({"k": kind, "e": email.lower(), "u": user_id}, salt=UNSUBSCRIBE_SALT)


@dataclass(frozen=True)
class Unsubscribe:
    kind: str
    email: str
    user_id: int | None


def unsubscribe_read(token: str) -> Unsubscribe | None:
    """What a token says, or None if it was not made by us (tampered, or another site's)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        kind, email, user_id = data["k"], data["e"], data["u"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    if kind not in NotificationKind.values or kind in ALWAYS_SENT or not isinstance(email, str):
        return None
    return Unsubscribe(kind=kind, email=email, user_id=user_id)


def unsubscribe_apply(request: Unsubscribe) -> None:
    """Turn the kind off for the person the token names."""
    from withpeople.accounts.models import User

    user = User.objects.filter(pk=request.user_id).first() if request.user_id else None
    preference_set(kind=request.kind, delivery=Delivery.NONE, user=user, email=request.email)


def _list_unsubscribe(kind: str, email: str, user_id: int | None) -> tuple[str, dict[str, str]]:
    """The address to change this preference, and the headers that say so."""
    if kind in ALWAYS_SENT:
        address = site_url(reverse("notifications:preferences"))
        return address, {"List-Unsubscribe": f"<{address}>"}
    token = unsubscribe_token(kind=kind, email=email, user_id=user_id)
    address = site_url(reverse("notifications:unsubscribe", kwargs={"token": token}))
    return address, {
        "List-Unsubscribe": f"<{address}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- notify -------------------------------------------------------------------------------------


def _render(template: str, suffix: str, context: dict[str, Any], *, easy_read: bool) -> str | None:
    names = [f"{template}_easy_read{suffix}", f"{template}{suffix}"] if easy_read else []
    names.append(f"{template}{suffix}")
    for name in names:
        try:
            return render_to_string(name, context)
        except TemplateDoesNotExist:
            continue
    return None


def _message_id() -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "withpeople.invalid"
    return make_msgid(idstring="wp", domain=domain)


def _enqueue_send(email_id: int, *, run_after: dt.datetime | None = None) -> None:
    from withpeople.notifications.tasks import email_send

    task = email_send
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    elif run_after is not None:
        return  # a backend that cannot wait: the sweep sends it once it is due
    task.enqueue(email_id=email_id)


def outbox_add(
    *,
    dedupe_key: str,
    to_email: str,
    subject: str,
    text: str,
    html: str = "",
    headers: dict[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
    organisation=None,
    user=None,
    notification: Notification | None = None,
) -> OutgoingEmail | None:
    """Put an email in the outbox, in the caller's transaction; it is sent after the commit.

    Returns None when an email with this key is already there: nothing is sent twice.
    """
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                dedupe_key=dedupe_key,
                to_email=to_email,
                subject=subject,
                text=text,
                html=html,
                headers=headers or {},
                attachments=[
                    {
                        "filename": a.filename,
                        "mimetype": a.mimetype,
                        "content": base64.b64encode(a.content).decode("ascii"),
                    }
                    for a in attachments
                ],
                message_id=_message_id(),
                organisation=organisation,
                user=user,
                notification=notification,
            )
    except IntegrityError:
        return None
    transaction.on_commit(partial(_enqueue_send, email.pk))
    return email


def _with_footer(text: str, html: str | None, footer: dict[str, Any]) -> tuple[str, str]:
    text = text.rstrip() + "\n\n" + render_to_string("notifications/email/footer.txt", footer)
    if html:
        snippet = render_to_string("notifications/email/footer.html", footer)
        if "</body>" in html:
            html = html.replace("</body>", snippet + "</body>", 1)
        else:
            html = html + snippet
    return text, html or ""


#: Functions (organisation, users) -> the ids of those users whose communication needs ask for
#: easy read, registered by the app that keeps those needs (groups), so that every caller's
#: account holders get the wording they need, whichever app tells them.
_EASY_READ_LOOKUPS: list[Callable[[Any, list[Any]], set[int]]] = []


def register_easy_read_lookup(lookup: Callable[[Any, list[Any]], set[int]]) -> None:
    if lookup not in _EASY_READ_LOOKUPS:
        _EASY_READ_LOOKUPS.append(lookup)


def _with_easy_read(organisation, recipients: list[Recipient]) -> list[Recipient]:
    """Each recipient, marked easy read where their needs in the organisation ask for it."""
    users = [r.user for r in recipients if r.user is not None and not r.easy_read]
    if organisation is None or not users or not _EASY_READ_LOOKUPS:
        return recipients
    easy: set[int] = set()
    for lookup in _EASY_READ_LOOKUPS:
        easy |= lookup(organisation, users)
    return [
        dataclasses.replace(r, easy_read=True) if r.user is not None and r.user.pk in easy else r
        for r in recipients
    ]


def notify(
    *,
    kind: NotificationKind,
    organisation: Organisation | None,
    recipients: Iterable[Recipient],
    template: str,
    context: dict[str, Any],
    url: str,
    key: str,
    attachments: Callable[[Recipient], Sequence[Attachment]] | None = None,
) -> int:
    """Tell each recipient about one thing; return how many were told now.

    `key` names the thing (for example "meeting-12-v3"); with `kind` and the recipient it makes
    the notification unique, so calling again with the same key tells nobody twice.
    `attachments`, if given, is called once per recipient (for example for an iCalendar event
    naming them).

    Each person's choice for the kind decides whether an email goes now, in the week's summary,
    or not at all (ALWAYS_SENT kinds always go now); people with an account see every
    notification in their list in the app either way.
    """
    count = 0
    seen: set[str] = set()
    recipients = _with_easy_read(organisation, list(recipients))
    for recipient in recipients:
        email_address = (recipient.email or "").strip()
        if not email_address or email_address.lower() in seen:
            continue
        seen.add(email_address.lower())
        if Notification.objects.filter(kind=kind, key=key, email=email_address.lower()).exists():
            continue
        user = recipient.user
        delivery = delivery_for(kind=kind, user=user, email=email_address)
        full = {**context, "recipient": recipient, "url": url, "kind": kind}
        subject = _render(template, "_subject.txt", full, easy_read=recipient.easy_read) or ""
        subject = " ".join(subject.split())[:300]
        text = _render(template, ".txt", full, easy_read=recipient.easy_read)
        if text is None:
            raise TemplateDoesNotExist(f"{template}.txt")
        html = _render(template, ".html", full, easy_read=recipient.easy_read)
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    organisation=organisation,
                    user=user,
                    email=email_address.lower(),
                    name=recipient.name,
                    kind=kind,
                    key=key,
                    subject=subject,
                    text=text,
                    html=html or "",
                    easy_read=recipient.easy_read,
                    url=url,
                    delivery=delivery,
                )
        except IntegrityError:
            continue  # told already, by a call that committed meanwhile
        if delivery == Delivery.NOW:
            address, headers = _list_unsubscribe(kind, email_address, user.pk if user else None)
            full_text, full_html = _with_footer(
                text,
                html,
                {
                    "kind_label": NotificationKind(kind).label,
                    "always_sent": kind in ALWAYS_SENT,
                    "change_url": address,
                    "preferences_url": site_url(reverse("notifications:preferences")),
                    "has_account": user is not None,
                },
            )
            outbox_add(
                dedupe_key=f"notification-{notification.pk}",
                to_email=email_address,
                subject=subject,
                text=full_text,
                html=full_html,
                headers=headers,
                attachments=attachments(recipient) if attachments else (),
                organisation=organisation,
                user=user,
                notification=notification,
            )
            count += 1
    return count


# --- Sending ------------------------------------------------------------------------------------


def _message_of(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        email.subject,
        email.text,
        settings.DEFAULT_FROM_EMAIL,
        [email.to_email],
        headers={**email.headers, "Message-ID": email.message_id},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in email.attachments:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return message


def email_claim(email_id: int, *, now: dt.datetime | None = None) -> OutgoingEmail | None:
    """Take one email to send: queued and due, or left "sending" by a worker that died.

    One conditional UPDATE, so of two workers at most one gets it; the lease says until when.
    """
    now = now or timezone.now()
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id)
        .filter(
            # A little early is fine: the clocks of the worker and of whoever set the time.
            Q(status=EmailStatus.QUEUED, next_attempt_at__lte=now + dt.timedelta(seconds=5))
            | Q(status=EmailStatus.SENDING, lease_until__lt=now)
        )
        .update(
            status=EmailStatus.SENDING,
            lease_until=now + send_lease(),
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return None
    return OutgoingEmail.objects.get(pk=email_id)


def email_send(email_id: int) -> str:
    """Send one email from the outbox, exactly once as far as we can tell; safe to run twice.

    Returns what happened: "sent", "retry", "failed" or "nothing" (not ours to send now).
    Never raises for a mail server that is away: that is a retry.
    """
    email = email_claim(email_id)
    if email is None:
        return "nothing"
    try:
        with get_connection(fail_silently=False) as connection:
            sent = connection.send_messages([_message_of(email)])
        if not sent:
            raise RuntimeError("The email backend did not send the message.")
    except Exception as error:  # any backend, any failure: try again later
        return _email_failed(email, error)
    OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
    )
    return "sent"


def _email_failed(email: OutgoingEmail, error: Exception) -> str:
    now = timezone.now()
    delays = retry_delays()
    message = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts > len(delays):
        OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
            status=EmailStatus.FAILED, lease_until=None, last_error=message
        )
        logger.error("Email %s not sent after %s attempts: %s", email.pk, email.attempts, message)
        return "failed"
    next_at = now + dt.timedelta(seconds=delays[email.attempts - 1])
    OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
        status=EmailStatus.QUEUED,
        lease_until=None,
        next_attempt_at=next_at,
        enqueued_at=now,
        last_error=message,
    )
    logger.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts, message)
    _enqueue_send(email.pk, run_after=next_at)
    return "retry"


def email_retry(*, email: OutgoingEmail) -> bool:
    """An admin's "try again" on an email that was not sent: it goes back in the queue."""
    with transaction.atomic():
        changed = OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.FAILED).update(
            status=EmailStatus.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now(),
            enqueued_at=timezone.now(),
        )
        if changed:
            transaction.on_commit(partial(_enqueue_send, email.pk))
    return bool(changed)


#: A queued email whose task was enqueued this long ago and has not run is enqueued again.
LOST_TASK_AFTER = dt.timedelta(minutes=5)
SWEEP_BATCH = 1000


def outbox_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue again what a lost worker or a lost enqueueing left behind. Run by every tick.

    - "sending" with an expired lease: the worker died mid-send; queue it (same Message-ID).
    - "queued" and due, with no task enqueued for a while: the process stopped between the
      commit and the enqueueing, or the backend could not wait until a retry was due.
    A second task for the same email does nothing (the claim is conditional).
    """
    now = now or timezone.now()
    OutgoingEmail.objects.filter(status=EmailStatus.SENDING, lease_until__lt=now).update(
        status=EmailStatus.QUEUED,
        lease_until=None,
        next_attempt_at=now,
        enqueued_at=now - LOST_TASK_AFTER * 2,  # enqueued below
    )
    lost = list(
        OutgoingEmail.objects.filter(
            status=EmailStatus.QUEUED,
            next_attempt_at__lte=now,
            enqueued_at__lt=now - LOST_TASK_AFTER,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if lost:
        OutgoingEmail.objects.filter(pk__in=lost).update(enqueued_at=now)
        for email_id in lost:
            _enqueue_send(email_id)
    return len(lost)


# --- Weekly summaries ---------------------------------------------------------------------------


def week_of(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_summaries_send(*, today: dt.date) -> int:
    """One email per person and organisation listing their notifications not yet emailed.

    Keyed by person, organisation and week in the outbox, and the notifications are marked in
    the same transaction, so running it twice sends each summary once.
    """
    week = week_of(today)
    waiting = (
        Notification.objects.filter(delivery=Delivery.WEEKLY, summarised_at__isnull=True)
        .values_list("email", "organisation_id")
        .distinct()
    )
    made = 0
    for email_address, organisation_id in list(waiting):
        with transaction.atomic():
            notifications = list(
                Notification.objects.select_for_update(of=("self",))
                .filter(
                    email=email_address,
                    organisation_id=organisation_id,
                    delivery=Delivery.WEEKLY,
                    summarised_at__isnull=True,
                )
                .select_related("organisation", "user")
                .order_by("created_at", "pk")
            )
            if not notifications:
                continue
            first = notifications[0]
            context = {
                "notifications": notifications,
                "organisation": first.organisation,
                "name": first.name,
                "week": week,
                "list_url": site_url(reverse("notifications:list")),
                "preferences_url": site_url(reverse("notifications:preferences")),
                "has_account": first.user_id is not None,
            }
            subject = " ".join(
                render_to_string("notifications/email/weekly_summary_subject.txt", context).split()
            )
            text = render_to_string("notifications/email/weekly_summary.txt", context)
            html = render_to_string("notifications/email/weekly_summary.html", context)
            address = site_url(reverse("notifications:preferences"))
            added = outbox_add(
                dedupe_key=f"weekly-{week}-{organisation_id or 0}-{email_address}",
                to_email=email_address,
                subject=subject,
                text=text,
                html=html,
                headers={"List-Unsubscribe": f"<{address}>"},
                organisation=first.organisation,
                user=first.user,
            )
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                summarised_at=timezone.now()
            )
            made += added is not None
    return made


# --- The in-app list ----------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())
