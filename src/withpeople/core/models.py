"""Tables of the core: the forms that have been sent once, and counts for rate limits."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UsedFormToken(models.Model):
    """A form's one-time token, once the thing the form creates has been saved.

    The unique hash is what stops the same form being saved twice, even when both sends arrive
    at once: the second insert waits for the first transaction and then fails, and the second
    send is shown what the first one made. Only a hash of the token (with who sent it and where)
    is kept, the day, and the address of the page the first send led to.
    """

    token_hash = models.CharField(_("hash of the token"), max_length=64, unique=True)
    used_on = models.DateField(_("used on"), default=timezone.localdate)
    result_url = models.CharField(
        _("result"),
        max_length=500,
        blank=True,
        help_text=_("The page the first send of the form led to, shown again to any later send."),
    )

    class Meta:
        verbose_name = _("used form token")
        verbose_name_plural = _("used form tokens")
        indexes = [models.Index(fields=["used_on"], name="core_used_form_token_day")]

    def __str__(self) -> str:
        return f"Token used on {self.used_on}"


class RateCount(models.Model):
    """How many times one key (a hash of an address and a purpose) acted in one time window.

    Counted with a single conditional UPDATE, so that many requests at once cannot all read
    "below the limit" and all go through: see `withpeople.core.rate_limit`.
    """

    key_hash = models.CharField(_("hash of the key"), max_length=64)
    window = models.BigIntegerField(
        _("start of the time window"), help_text=_("In seconds since 1970.")
    )
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate count")
        verbose_name_plural = _("rate counts")
        constraints = [
            models.UniqueConstraint(fields=["key_hash", "window"], name="core_rate_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.count} in window {self.window}"
