"""Forms for Making It Real: the feedback questions, review cycles, frameworks and uploads."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from withpeople.domain.ladder import PERSPECTIVE_SLUGS
from withpeople.feedback.models import Channel, Framework, Statement, Theme
from withpeople.organisations.models import PERSPECTIVE_CHOICES, Organisation

ANSWER_FORM_CHOICES = [
    ("always", _("Always")),
    ("mostly", _("Mostly")),
    ("sometimes", _("Sometimes")),
    ("rarely", _("Rarely")),
    ("never", _("Never")),
    ("not_applicable", _("Doesn't apply to me")),
]
PREFER_NOT_TO_SAY = "prefer_not_to_say"
PUBLIC_PERSPECTIVE_CHOICES = [
    *PERSPECTIVE_CHOICES,
    (PREFER_NOT_TO_SAY, _("I prefer not to say")),
]
HONEYPOT = "website"


class FeedbackForm(forms.Form):
    """The questions on the I statements: one set of radios each, a story per theme, a perspective.

    Every question may be left out, but at least one statement must be answered. The fields are
    named after the framework's keys (`answer-wi-i1`, `story-workforce`), so a page can lay them
    out theme by theme with `statement_fields()`.
    """

    def __init__(
        self,
        *args,
        themes: list[Theme],
        statements: list[Statement],
        easy_read: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.themes = themes
        self.statements = statements
        for statement in statements:
            self.fields[f"answer-{statement.key}"] = forms.ChoiceField(
                label=(statement.easy_read or statement.text) if easy_read else statement.text,
                choices=ANSWER_FORM_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Select one of the answers, or leave this one out")
                },
            )
        for theme in themes:
            self.fields[f"story-{theme.key}"] = forms.CharField(
                label=_("Anything you want to tell us about %(theme)s (optional)")
                % {"theme": theme.title.lower()},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"max_length": _("Your story must be 5,000 characters or fewer")},
            )
        self.fields["perspective"] = forms.ChoiceField(
            label=_("Which of these describes you best? (optional)"),
            choices=PUBLIC_PERSPECTIVE_CHOICES,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Select one of the options, or leave it out")},
        )

    def answer_field(self, statement: Statement):
        return self[f"answer-{statement.key}"]

    def story_field(self, theme: Theme):
        return self[f"story-{theme.key}"]

    def clean(self):
        cleaned = super().clean()
        if not self.answers() and not self.errors:
            raise forms.ValidationError(
                _("Answer at least one of the statements"), code="no_answers"
            )
        return cleaned

    def answers(self) -> dict[str, str]:
        return {
            statement.key: self.cleaned_data[f"answer-{statement.key}"]
            for statement in self.statements
            if self.cleaned_data.get(f"answer-{statement.key}")
        }

    def stories(self) -> dict[str, str]:
        return {
            theme.key: self.cleaned_data[f"story-{theme.key}"]
            for theme in self.themes
            if self.cleaned_data.get(f"story-{theme.key}", "").strip()
        }

    def perspective(self) -> str:
        value = self.cleaned_data.get("perspective") or ""
        return value if value in PERSPECTIVE_SLUGS else ""


class PublicFeedbackForm(FeedbackForm):
    """The public form adds a one-time token against double sending and a honeypot for spam."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Drawn by the template, hidden from people and screen readers; only robots fill it in.
        self.fields[HONEYPOT] = forms.CharField(required=False)

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())


class EnteredResponseForm(FeedbackForm):
    """A paper or phone response entered by staff on someone's behalf."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"] = forms.ChoiceField(
            label=_("How did the answers reach you?"),
            choices=[
                (Channel.PAPER, _("On a paper form")),
                (Channel.PHONE, _("By phone or in person")),
            ],
            widget=forms.RadioSelect,
            error_messages={"required": _("Select how the answers reached you")},
        )
        # The channel question comes first, so the error summary can link to it.
        self.order_fields(["channel"])


def look_again_field() -> forms.DateField:
    """When the organisation will ask people again: on the cycle's form and the publish page."""
    return forms.DateField(
        label=_("When will you look again? (optional)"),
        required=False,
        help_text=_(
            "The date by which you will ask people again and check what has changed. You said, "
            "we did shows it. For example, 2026-09-01"
        ),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={
            "invalid": _("Enter the date you will look again as a real date, like 2026-09-01")
        },
    )


class CycleForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("For example, Spring 2026"),
        error_messages={"required": _("Enter a name for the review cycle")},
    )
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_(
            "Used in web addresses. Lower-case letters, numbers and hyphens, like spring-2026"
        ),
        error_messages={
            "required": _("Enter a short name"),
            "invalid": _("Enter a short name using only lower-case letters, numbers and hyphens"),
        },
    )
    framework = forms.ModelChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a framework"),
            "invalid_choice": _("Select a framework from the list"),
        },
    )
    starts_on = forms.DateField(
        label=_("Starts on (optional)"),
        required=False,
        help_text=_("For example, 2026-03-01"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the start date as a real date, like 2026-03-01")},
    )
    ends_on = forms.DateField(
        label=_("Ends on (optional)"),
        required=False,
        help_text=_("For example, 2026-05-31"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the end date as a real date, like 2026-05-31")},
    )
    look_again_on = look_again_field()

    def __init__(self, *args, organisation: Organisation, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.available_to(organisation)
        self.fields["framework"].label_from_instance = lambda f: f.title
        if editing:
            del self.fields["slug"]


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file"),
        help_text=_("A YAML file in the withpeople.framework/1 format"),
        error_messages={
            "required": _("Choose a framework file"),
            "empty": _("The file you chose is empty. Choose a framework file"),
        },
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Responses file"),
        help_text=_("A CSV file saved as UTF-8, with one row per answer"),
        error_messages={
            "required": _("Choose a CSV file of responses"),
            "empty": _("The file you chose is empty. Choose a CSV file of responses"),
        },
    )


class PictureForm(forms.Form):
    image = forms.FileField(
        label=_("Picture"),
        help_text=_("A PNG or JPEG file, smaller than 2 MB"),
        error_messages={
            "required": _("Choose a picture"),
            "empty": _("The file you chose is empty. Choose a picture"),
        },
    )
    # Checked by the service together with the picture, so both problems show at once.
    alt_text = forms.CharField(
        label=_("What the picture shows"),
        max_length=250,
        required=False,
        help_text=_(
            "Read out to people who cannot see the picture, for example: A person choosing a coat"
        ),
        error_messages={"required": _("Describe what the picture shows")},
    )
