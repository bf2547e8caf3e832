"""An organisation's single sign-on: the OpenID Connect provider its people may sign in with."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.organisations.models import Organisation


class SingleSignOn(models.Model):
    """One organisation's OpenID Connect provider (Microsoft Entra ID, NHSmail or another).

    The client secret is kept sealed (`withpeople.security.sealing`), never shown back.
    """

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="single_sign_on",
    )
    issuer = models.URLField(_("issuer"), max_length=500)
    client_id = models.CharField(_("client ID"), max_length=255)
    client_secret_sealed = models.TextField(_("client secret, sealed"), editable=False)
    email_domains = models.JSONField(_("email domains"), default=list)
    trust_provider_email = models.BooleanField(
        _("trust every email address the provider gives"), default=False
    )
    trust_provider_second_factor = models.BooleanField(
        _("accept the provider's second factor"), default=False
    )
    enabled = models.BooleanField(_("on"), default=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("single sign-on")
        verbose_name_plural = _("single sign-on settings")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.issuer}"


class SignOnIdentity(models.Model):
    """Who an account is at an organisation's provider: the ID token's subject (`sub`).

    An email address can pass to someone else at the provider (a leaver's address given to a
    newcomer); the subject does not. Once someone has signed in through a provider, the account
    answers only to that subject there, and a different subject with the same address is
    refused. The subject is kept per client ID, as Entra ID gives each app its own.
    """

    single_sign_on = models.ForeignKey(
        SingleSignOn,
        verbose_name=_("single sign-on"),
        on_delete=models.CASCADE,
        related_name="identities",
    )
    client_id = models.CharField(_("client ID"), max_length=255)
    subject = models.CharField(_("subject at the provider"), max_length=255)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="sign_on_identities",
    )
    first_signed_in_at = models.DateTimeField(_("first signed in at"), default=timezone.now)

    class Meta:
        verbose_name = _("identity at a provider")
        verbose_name_plural = _("identities at providers")
        constraints = [
            models.UniqueConstraint(
                fields=["single_sign_on", "client_id", "subject"], name="one_account_per_subject"
            ),
            models.UniqueConstraint(
                fields=["single_sign_on", "client_id", "user"], name="one_subject_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.single_sign_on.issuer}"
