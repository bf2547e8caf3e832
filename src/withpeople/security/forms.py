from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from withpeople.organisations.models import SecondFactorRule


class SecondFactorRuleForm(forms.Form):
    rule = forms.ChoiceField(
        label=_("Who must sign in with a second factor?"),
        choices=SecondFactorRule.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "They give a code from an authenticator app as well as their password. Anyone else "
            "may still choose to."
        ),
        error_messages={"required": _("Choose who must sign in with a second factor")},
    )
