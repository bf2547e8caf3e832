"""Changing who must use a second factor, an admin resetting someone's lost one, and an
organisation's single sign-on: its settings, and who a sign-in through it lets in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from withpeople.accounts.models import User
from withpeople.accounts.second_factor import has_second_factor, second_factor_remove
from withpeople.accounts.services import user_create
from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.services import audit_record
from withpeople.domain import single_sign_on as sso_rules
from withpeople.domain.input_text import first_refused_character
from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.services import Recipient, notify, site_url
from withpeople.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    SecondFactorRule,
)
from withpeople.organisations.services import invitation_accept
from withpeople.security.models import SignOnIdentity, SingleSignOn
from withpeople.security.sealing import seal


@transaction.atomic
def second_factor_rule_set(*, organisation: Organisation, rule: str, actor: User) -> None:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.second_factor_required_for == rule:
        return
    before = organisation.get_second_factor_required_for_display()
    organisation.second_factor_required_for = rule
    organisation.full_clean()
    organisation.save(update_fields=["second_factor_required_for"])
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEventKind.CHANGED_SECOND_FACTOR_RULE,
        subject=organisation,
        detail=f"{before} → {SecondFactorRule(rule).label}",
    )


@transaction.atomic
def second_factor_reset(*, membership: Membership, actor: User) -> bool:
    """Remove a member's authenticator app and recovery codes, when they have lost them.

    They then sign in with their password alone, and where their organisation requires a
    second factor they are taken to set one up again before anything else. Returns False (and
    records nothing) if they had none.
    """
    user = membership.user
    if not has_second_factor(user):
        return False
    second_factor_remove(user=user)
    audit_record(
        organisation=membership.organisation,
        actor=actor,
        action=AuditEventKind.RESET_SECOND_FACTOR,
        subject=membership,
        detail=user.email,
    )
    notify(
        kind=NotificationKind.SECOND_FACTOR_RESET,
        organisation=membership.organisation,
        recipients=[Recipient.of_user(user)],
        template="security/notifications/second_factor_reset",
        context={"organisation": membership.organisation, "actor_name": actor.name},
        url=site_url(reverse("accounts:account")),
        key=f"second-factor-reset-{membership.pk}-{timezone.now().isoformat()}",
    )
    return True


# --- single sign-on ---------------------------------------------------------------------------


@transaction.atomic
def single_sign_on_save(
    *,
    organisation: Organisation,
    actor: User,
    issuer: str,
    client_id: str,
    client_secret: str,
    email_domains: list[str],
    trust_provider_email: bool,
    trust_provider_second_factor: bool,
    enabled: bool,
) -> SingleSignOn:
    """Save the organisation's provider (its discovery already checked by the caller). An empty
    `client_secret` keeps the one saved before. Audited, with what changed but never the secret.
    """
    config = SingleSignOn.objects.select_for_update().filter(
        organisation=organisation
    ).first() or SingleSignOn(organisation=organisation)
    before = _described(config) if config.pk else {}
    config.issuer = issuer
    config.client_id = client_id
    if client_secret:
        config.client_secret_sealed = seal(client_secret)
    if not config.client_secret_sealed:
        raise ValidationError({"client_secret": _("Enter the client secret")})
    config.email_domains = email_domains
    config.trust_provider_email = trust_provider_email
    config.trust_provider_second_factor = trust_provider_second_factor
    config.enabled = enabled
    config.updated_at = timezone.now()
    config.full_clean()
    config.save()
    after = _described(config)
    changed = [f"{key}: {after[key]}" for key in after if before.get(key) != after[key]]
    if client_secret:
        changed.append("client secret replaced")
    if changed:
        audit_record(
            organisation=organisation,
            actor=actor,
            action=AuditEventKind.CHANGED_SINGLE_SIGN_ON,
            subject=config,
            detail="; ".join(changed)[:1000],
        )
    return config


def _described(config: SingleSignOn) -> dict[str, str]:
    return {
        "issuer": config.issuer,
        "client ID": config.client_id,
        "email domains": ", ".join(config.email_domains),
        "trust every email address": "yes" if config.trust_provider_email else "no",
        "accept the provider's second factor": "yes"
        if config.trust_provider_second_factor
        else "no",
        "on": "yes" if config.enabled else "no",
    }


class Refusal(StrEnum):
    """Why someone who signed in at their provider is not let in."""

    UNVERIFIED_EMAIL = "unverified_email"
    OTHER_DOMAIN = "other_domain"
    NEEDS_INVITATION = "needs_invitation"
    #: The address belongs to an account that signed in here as another person at the provider.
    OTHER_PERSON = "other_person"


@dataclass(frozen=True)
class Match:
    email: str
    user: User | None = None
    refusal: Refusal | None = None
    #: The membership made from an invitation on this sign-in, if there was one.
    joined: Membership | None = None


@transaction.atomic
def single_sign_on_match(*, config: SingleSignOn, claims: dict) -> Match:
    """Who the provider's checked ID token is, in WithPeople; nobody joins by signing in alone.

    The email address must be one the provider vouches for, at one of the domains the
    organisation set. Then: an account with that address that belongs to the organisation, or
    has a pending invitation to it (accepted now); or no account but a pending invitation to
    the organisation for that address, when the account is made from the invitation. Anyone
    else is refused, as is an account that does not belong to the organisation: an
    organisation's provider speaks only for its own people. Once an account has signed in
    through the provider it answers only to that person there (the ID token's subject): the
    same address from another subject is refused, so an address passed on to a newcomer does
    not open the earlier person's account.
    """
    email = claims.get("email") if isinstance(claims.get("email"), str) else ""
    email = email.strip().lower()
    if not sso_rules.email_is_verified(claims, trust_provider_email=config.trust_provider_email):
        return Match(email=email, refusal=Refusal.UNVERIFIED_EMAIL)
    if not sso_rules.covers(config.email_domains, email):
        return Match(email=email, refusal=Refusal.OTHER_DOMAIN)
    subject = claims.get("sub") if isinstance(claims.get("sub"), str) else ""
    if not subject:
        return Match(email=email, refusal=Refusal.OTHER_PERSON)
    known = (
        SignOnIdentity.objects.filter(single_sign_on=config, client_id=config.client_id)
        if config.pk
        else SignOnIdentity.objects.none()
    )
    linked = known.filter(subject=subject).select_related("user").first()
    if linked is not None:
        # The same person at the provider, even if their address there has changed.
        user: User | None = linked.user
    else:
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and known.filter(user=user).exists():
            return Match(email=email, refusal=Refusal.OTHER_PERSON)
    match = _match_account(config, email, user, claims)
    if match.user is not None and linked is None and config.pk:
        SignOnIdentity.objects.create(
            single_sign_on=config, client_id=config.client_id, subject=subject, user=match.user
        )
    return match


def _match_account(config: SingleSignOn, email: str, user: User | None, claims: dict) -> Match:
    organisation = config.organisation
    invitation = (
        Invitation.objects.for_organisation(organisation)
        .pending()
        .filter(email__iexact=email)
        .order_by("-created_at")
        .first()
    )
    if user is not None:
        if not user.is_active or user.is_superuser:
            return Match(email=email, refusal=Refusal.NEEDS_INVITATION)
        membership = Membership.objects.filter(organisation=organisation, user=user).first()
        if membership is not None:
            return Match(email=email, user=user)
        if invitation is None:
            return Match(email=email, refusal=Refusal.NEEDS_INVITATION)
        joined = invitation_accept(invitation=invitation, user=user)
        _record_joined(joined)
        return Match(email=email, user=user, joined=joined)
    if invitation is None:
        return Match(email=email, refusal=Refusal.NEEDS_INVITATION)
    user = user_create(email=email, name=_name_from(claims, email), password=None)
    joined = invitation_accept(invitation=invitation, user=user)
    _record_joined(joined)
    return Match(email=email, user=user, joined=joined)


def _record_joined(membership: Membership) -> None:
    audit_record(
        organisation=membership.organisation,
        actor=membership.user,
        action=AuditEventKind.JOINED_BY_SINGLE_SIGN_ON,
        subject=membership,
        detail=membership.user.email,
    )


def _name_from(claims: dict, email: str) -> str:
    """The name the provider gives, if it is one that can be saved; else the address's start."""
    name = claims.get("name")
    if isinstance(name, str):
        name = " ".join(name.split())[:150]
        if name and first_refused_character(name) is None:
            return name
    return email.split("@")[0][:150]
