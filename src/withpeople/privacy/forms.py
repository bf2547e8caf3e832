from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from withpeople.privacy.models import RetentionSettings


def _number_messages(what: str, low: int, high: int) -> dict[str, str]:
    message = _("Enter %(what)s as a whole number from %(low)s to %(high)s") % {
        "what": what,
        "low": low,
        "high": high,
    }
    return {"required": message, "invalid": message, "min_value": message, "max_value": message}


class RetentionForm(forms.ModelForm):
    class Meta:
        model = RetentionSettings
        fields = ["left_group_months", "failed_sign_in_days", "audit_years", "receipt_months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ranges = {
            "left_group_months": (_("the months"), 1, 240),
            "failed_sign_in_days": (_("the days"), 1, 3650),
            "audit_years": (_("the years"), 1, 50),
            "receipt_months": (_("the months"), 1, 600),
        }
        for name, (what, low, high) in ranges.items():
            self.fields[name].error_messages.update(_number_messages(what, low, high))
            self.fields[name].widget.attrs.update(
                {"class": "govuk-input--width-4", "inputmode": "numeric"}
            )
