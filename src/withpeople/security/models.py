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
