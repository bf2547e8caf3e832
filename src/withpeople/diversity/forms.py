from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from withpeople.diversity.models import DiversityCategory, DiversityOption
from withpeople.domain.diversity import PREFER_NOT_TO_SAY


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I agree"),
        error_messages={
            "required": _("Tick the box to say you agree, or go back if you do not want to answer")
        },
    )


class DiversityAnswersForm(forms.Form):
    """One set of radios per question, each with "Prefer not to say"."""

    def __init__(self, *args, categories, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        initial_answers = initial_answers or {}
        for category in self.categories:
            choices = [(str(o.pk), o.label) for o in category.options.all()]
            choices.append((PREFER_NOT_TO_SAY, _("Prefer not to say")))
            name = f"category_{category.pk}"
            self.fields[name] = forms.ChoiceField(
                label=category.question,
                help_text=category.hint,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Select an answer to “%(question)s”, or Prefer not to say")
                    % {"question": category.question},
                    "invalid_choice": _("Select one of the answers given"),
                },
            )
            if category.pk in initial_answers:
                option_id = initial_answers[category.pk]
                self.initial[name] = PREFER_NOT_TO_SAY if option_id is None else str(option_id)

    def answers(self) -> dict[int, DiversityOption | None]:
        result = {}
        for category in self.categories:
            value = self.cleaned_data[f"category_{category.pk}"]
            result[category.pk] = (
                None
                if value == PREFER_NOT_TO_SAY
                else next(o for o in category.options.all() if str(o.pk) == value)
            )
        return result


class CategoryForm(forms.ModelForm):
    class Meta:
        model = DiversityCategory
        fields = ["name", "question", "hint", "target_description", "position"]
        error_messages = {
            "name": {"required": _("Enter a short name, for example Age")},
            "question": {"required": _("Enter the question people are asked")},
            "position": {
                "required": _("Enter a position, for example 1"),
                "invalid": _("Enter the position as a whole number, for example 1"),
            },
        }
        widgets = {"target_description": forms.Textarea(attrs={"rows": 4})}


class OptionForm(forms.ModelForm):
    class Meta:
        model = DiversityOption
        fields = ["label", "target_percentage", "position"]
        error_messages = {
            "label": {"required": _("Enter the answer people can choose")},
            "target_percentage": {
                "invalid": _("Enter the target as a number from 0 to 100, like 12.5"),
                "max_value": _("Enter a target of 100 or less"),
                "min_value": _("Enter a target of 0 or more"),
                "max_digits": _("Enter the target as a number from 0 to 100, like 12.5"),
                "max_decimal_places": _("Enter the target with at most one decimal place"),
            },
            "position": {
                "required": _("Enter a position, for example 1"),
                "invalid": _("Enter the position as a whole number, for example 1"),
            },
        }
