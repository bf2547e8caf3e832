"""Signed reply links for people invited without an account.

A link names one invitation and the meeting's version (its SEQUENCE) when it was sent, signed
with the site's secret (django.core.signing), so it cannot be changed or made up. It lets its
holder reply to that one invitation and nothing else, and needs no sign-in. It stops working
once the meeting has ended, when the meeting changes (the new message has a new link), and when
the meeting is cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from withpeople.meetings.models import Invitation

SALT = "withpeople.meetings.reply"


def reply_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"i": invitation.pk, "s": invitation.meeting.sequence}
    )


def reply_path(invitation: Invitation) -> str:
    return reverse("meetings:reply-link", kwargs={"token": reply_token(invitation)})


def reply_url(invitation: Invitation) -> str:
    return settings.SITE_URL.rstrip("/") + reply_path(invitation)


class LinkProblem(Exception):
    """Why a reply link cannot be used: "tampered", "changed", "cancelled" or "ended"."""

    def __init__(self, why: str, invitation: Invitation | None = None) -> None:
        super().__init__(why)
        self.why = why
        self.invitation = invitation


@dataclass(frozen=True)
class OpenedLink:
    invitation: Invitation


def open_link(token: str, *, now=None) -> OpenedLink:
    """The invitation a reply link is for, or LinkProblem saying why it cannot be used."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign_object(token)
        invitation_id, sequence = int(value["i"]), int(value["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise LinkProblem("tampered") from error
    invitation = (
        Invitation.objects.select_related("meeting__organisation", "meeting__group", "member")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise LinkProblem("tampered")
    meeting = invitation.meeting
    if meeting.is_cancelled:
        raise LinkProblem("cancelled", invitation)
    if meeting.has_ended(now or timezone.now()):
        raise LinkProblem("ended", invitation)
    if sequence != meeting.sequence:
        raise LinkProblem("changed", invitation)
    return OpenedLink(invitation)
