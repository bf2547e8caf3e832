"""Forms drawn as GOV.UK Frontend draws them, for every form in the project.

The renderer is set once in settings (FORM_RENDERER), so `{{ form }}` in any template gives
GOV.UK labels, hints, inline error messages and classes, and the error summary include gives the
summary at the top of the page. Django already links hints and errors to their inputs with
aria-describedby (`<id>_helptext`, `<id>_error`), which the templates use as element ids.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext as _

_CLASS_BY_WIDGET_TYPE = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}
_FIELDSET_WIDGET_TYPES = {"radioselect", "checkboxselectmultiple"}


class GovukBoundField(BoundField):
    @property
    def widget_type(self) -> str:
        # A widget can say which one it is drawn as, e.g. radios with hints are radios.
        return getattr(self.field.widget, "drawn_as", "") or super().widget_type

    def css_class_for_widget(self) -> str:
        base = _CLASS_BY_WIDGET_TYPE.get(self.widget_type, "govuk-input")
        if self.errors and base != "govuk-checkboxes__input":
            return f"{base} {base}--error"
        return base

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        extra = self.field.widget.attrs.get("class", "")
        attrs["class"] = f"{self.css_class_for_widget()} {extra}".strip()
        return attrs

    @property
    def is_fieldset(self) -> bool:
        return self.widget_type in _FIELDSET_WIDGET_TYPES

    @property
    def is_single_checkbox(self) -> bool:
        return self.widget_type == "checkbox"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}_error"

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}_helptext"

    @property
    def first_input_id(self) -> str:
        """The id the error summary links to: the first option of a radio or checkbox group."""
        if self.is_fieldset:
            return f"{self.auto_id}_0"
        return self.auto_id


class RadioSelectWithHints(forms.RadioSelect):
    """Radios with a short hint under some of the choices, as GOV.UK radios draw item hints.

    `hints` maps a choice's value to its hint; the field template shows it under the label and
    links it to the radio with aria-describedby.
    """

    drawn_as = "radioselect"

    def __init__(self, *args, hints=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hints = dict(hints or {})

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(value, "")
        return option


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "withpeople/forms/form.html"
    field_template_name = "withpeople/forms/field.html"
    bound_field_class = GovukBoundField


class GovukForm(forms.Form):
    """A form whose non-field errors and field errors are written in GOV.UK style."""

    template_name_div = "withpeople/forms/form.html"


def plain_required_messages(form: forms.BaseForm) -> None:
    """Replace Django's "This field is required." with a message naming the field.

    For forms that come from Django itself (password reset and change), whose messages we do
    not write. GOV.UK style: say what to do, e.g. "Enter your new password".
    """
    for field in form.fields.values():
        label = str(field.label or "").strip()
        if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
            field.error_messages["required"] = _("Enter %(label)s") % {
                "label": label[:1].lower() + label[1:]
            }


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        for item in error.messages:
            form.add_error(None, item)
