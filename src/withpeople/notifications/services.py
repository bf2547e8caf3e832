"""Telling people: the one entry point every app calls, `notify`.

`notify` is called inside the transaction of the change it is about. It renders each
recipient's message at once (subject, plain text, HTML, attachments) from the caller's
templates, so what is sent is what was true when it happened, and keeps it until the
transaction commits. A notification with the same kind, key and recipient is made only once,
so a reminder or a retried task never tells anyone twice.

Templates, for `template="meetings/notifications/invitation"`:
- `meetings/notifications/invitation_subject.txt` (one line),
- `meetings/notifications/invitation.txt` (the plain-text part; required),
- `meetings/notifications/invitation.html` (optional; the HTML part),
- the same names ending `_easy_read` (optional), used for people whose communication needs ask
  for easy read.
Each is rendered with the caller's `context` plus `recipient` (a `Recipient`) and `url` (the
absolute address of the page the notification is about).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from withpeople.notifications.kinds import NotificationKind

if TYPE_CHECKING:
    from withpeople.accounts.models import User
    from withpeople.organisations.models import Organisation


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


def _render(template: str, suffix: str, context: dict[str, Any], *, easy_read: bool) -> str | None:
    names = [f"{template}_easy_read{suffix}", f"{template}{suffix}"] if easy_read else []
    names.append(f"{template}{suffix}")
    for name in names:
        try:
            return render_to_string(name, context)
        except TemplateDoesNotExist:
            continue
    return None


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

    This first version sends at once, after the transaction commits. It is replaced by the
    notifications outbox (preferences, weekly summaries, the in-app list, retries on the task
    queue) behind the same signature.
    """
    count = 0
    for recipient in recipients:
        full = {**context, "recipient": recipient, "url": url, "kind": kind}
        subject = _render(template, "_subject.txt", full, easy_read=recipient.easy_read) or ""
        text = _render(template, ".txt", full, easy_read=recipient.easy_read)
        if text is None:
            raise TemplateDoesNotExist(f"{template}.txt")
        html = _render(template, ".html", full, easy_read=recipient.easy_read)
        message = EmailMultiAlternatives(
            " ".join(subject.split()), text, settings.DEFAULT_FROM_EMAIL, [recipient.email]
        )
        if html:
            message.attach_alternative(html, "text/html")
        for attachment in attachments(recipient) if attachments else ():
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
        transaction.on_commit(message.send)
        count += 1
    return count
