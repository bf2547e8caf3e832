"""Writes to organisations, memberships and invitations. Each one is a single transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from withpeople.accounts.models import User
from withpeople.accounts.services import user_create
from withpeople.core.tokens import hash_token
from withpeople.organisations.models import (
    INVITATION_LIFETIME,
    Invitation,
    Membership,
    Organisation,
    Role,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def organisation_create(*, slug: str, name: str) -> Organisation:
    organisation = Organisation(slug=slug, name=name)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def membership_add(
    *, organisation: Organisation, user: User, role: str, perspective: str
) -> Membership:
    membership = Membership(
        organisation=organisation, user=user, role=role, perspective=perspective
    )
    membership.full_clean()
    membership.save()
    return membership


def _is_last_admin(membership: Membership) -> bool:
    """Whether `membership` is its organisation's only admin.

    The admin memberships stay locked until the transaction ends, so two admins stepping down
    at the same moment queue here, and the second sees that the first is no longer an admin.
    """
    admins = list(
        Membership.objects.for_organisation(membership.organisation)
        .filter(role=Role.ADMIN)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )
    return admins == [membership.pk]


@transaction.atomic
def membership_change(*, membership: Membership, role: str, perspective: str) -> Membership:
    if role != Role.ADMIN and _is_last_admin(membership):
        raise ValidationError(
            {
                "role": _(
                    "An organisation needs at least one admin. Make someone else an admin "
                    "before changing this person's role."
                )
            }
        )
    membership.role = role
    membership.perspective = perspective
    membership.full_clean()
    membership.save(update_fields=["role", "perspective"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if _is_last_admin(membership):
        raise ValidationError(
            _(
                "An organisation needs at least one admin. Make someone else an admin before "
                "removing this person."
            )
        )
    membership.delete()


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    perspective: str,
    invited_by: User | None,
    accept_url_for: Callable[[str], str],
) -> tuple[Invitation, str]:
    """Invite someone by email. `accept_url_for(raw_token)` builds the link they are sent.

    The email is sent only once the invitation is saved (on commit), so a failed save never
    sends a link that does not work. A failed send does not undo the saved invitation: it is
    logged, and `invitation.email_sent` becomes False, so the caller can give the person who
    invited the link to pass on by hand.
    """
    email = email.strip().lower()
    if Membership.objects.for_organisation(organisation).filter(user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This person is already a member of %(name)s.") % {"name": organisation}}
        )
    # A new invitation replaces any earlier one to the same address.
    Invitation.objects.for_organisation(organisation).pending().filter(email=email).update(
        cancelled_at=timezone.now()
    )
    raw_token = Invitation.new_raw_token()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        perspective=perspective,
        invited_by=invited_by,
        token_hash=hash_token(raw_token),
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    context = {
        "organisation": organisation,
        "invited_by": invited_by,
        "url": accept_url_for(raw_token),
        "expires_at": invitation.expires_at,
        "role": invitation.get_role_display(),
    }
    subject = _("You are invited to join %(name)s on WithPeople") % {"name": organisation.name}
    body = render_to_string("organisations/email/invitation.txt", context)
    transaction.on_commit(lambda: _invitation_email_send(invitation, subject, body))
    return invitation, raw_token


def _invitation_email_send(invitation: Invitation, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, None, [invitation.email])
    except Exception:
        # Any failure of the mail server or the connection to it (EMAIL_TIMEOUT bounds the
        # wait). The address and the link stay out of the log: both are private.
        logger.exception(
            "Could not send the email for invitation %s to %s.",
            invitation.pk,
            invitation.organisation.slug,
        )
        invitation.email_sent = False
    else:
        invitation.email_sent = True


def invitation_from_token(raw_token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )


def _lock_usable(invitation: Invitation) -> Invitation:
    """The invitation, locked until the transaction ends, if it can still be accepted.

    Locking it first means two sends of the same form (a double click, two tabs) queue up here,
    and the second finds it used.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation can no longer be used."))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    invitation = _lock_usable(invitation)
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to a different email address."))
    membership = Membership.objects.filter(
        organisation=invitation.organisation, user=user
    ).first() or membership_add(
        organisation=invitation.organisation,
        user=user,
        role=invitation.role,
        perspective=invitation.perspective,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def invitation_accept_with_new_account(
    *, invitation: Invitation, name: str, password: str
) -> Membership:
    """Make the invited person's account and accept the invitation: both, or neither."""
    invitation = _lock_usable(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("There is already an account for this email address. Sign in to accept.")
        )
    user = user_create(email=invitation.email, name=name, password=password)
    return invitation_accept(invitation=invitation, user=user)


@transaction.atomic
def invitation_cancel(*, invitation: Invitation) -> None:
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
