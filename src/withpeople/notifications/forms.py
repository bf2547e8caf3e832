"""The choice of how to hear of each kind of notification."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from withpeople.core.forms import GovukForm
from withpeople.notifications.kinds import ALWAYS_SENT, NotificationKind
from withpeople.notifications.models import Delivery


def choosable_kinds() -> list[NotificationKind]:
    return [kind for kind in NotificationKind if kind not in ALWAYS_SENT]


class PreferencesForm(GovukForm):
    """One set of radios per kind a person may choose for; ALWAYS_SENT kinds are not fields."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in choosable_kinds():
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=initial_choices.get(kind.value, Delivery.NOW),
                error_messages={"required": _("Choose how you want to hear about this.")},
            )
