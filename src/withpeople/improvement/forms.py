from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from withpeople.feedback.forms import look_again_field
from withpeople.feedback.models import ReviewCycle, Statement, Story
from withpeople.improvement.models import ActionStatus, Level
from withpeople.organisations.models import Membership


class RatingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Where is the organisation on this?"),
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select where you think the organisation is")},
    )
    evidence = forms.CharField(
        label=_("Evidence (optional)"),
        help_text=_(
            "What have you seen that shows this? Your notes are shown to the organisation's "
            "members without your name."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Evidence must be 2,000 characters or fewer")},
    )


class StatementChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Statement) -> str:
        return f"{obj.get_kind_display()}: {obj.text}"


class StoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Story) -> str:
        text = " ".join(obj.text.split())
        return f"{obj.theme.title}: “{text[:160]}{'…' if len(text) > 160 else ''}”"


class OwnerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.name} ({obj.get_role_display()})"


class ActionForm(forms.Form):
    title = forms.CharField(
        label=_("What will you do?"),
        max_length=200,
        error_messages={
            "required": _("Enter what you will do"),
            "max_length": _("What you will do must be 200 characters or fewer"),
        },
    )
    description = forms.CharField(
        label=_("More detail (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    statements = StatementChoiceField(
        label=_("Which statements is it about?"),
        queryset=Statement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one statement the action is about")},
    )
    stories = StoryChoiceField(
        label=_("Stories behind it (optional)"),
        help_text=_("Stories people told us in this review cycle."),
        queryset=Story.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owners = OwnerChoiceField(
        label=_("Who owns it?"),
        help_text=_("Staff and partners can own an action together."),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one owner")},
    )
    due_on = forms.DateField(
        label=_("Due by (optional)"),
        help_text=_("For example, 31/3/2026"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}, format="%d/%m/%Y"),
        error_messages={"invalid": _("Enter the due date as a real date, like 31/3/2026")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the action's status")},
    )
    explanation = forms.CharField(
        label=_("What changed, or why it was not possible"),
        help_text=_("Needed before you publish an action marked change made or not possible."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    published = forms.BooleanField(
        label=_("Publish this action on You said, we did"),
        required=False,
    )

    def __init__(self, *args, cycle: ReviewCycle, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statements"].queryset = Statement.objects.filter(
            theme__framework=cycle.framework
        ).select_related("theme")
        from withpeople.improvement.results import cycle_stories

        story_ids = [story.pk for story in cycle_stories(cycle)]
        if story_ids:
            self.fields["stories"].queryset = (
                Story.objects.filter(pk__in=story_ids)
                .select_related("theme", "response")
                .order_by("theme__position", "id")
            )
        else:
            del self.fields["stories"]
        self.fields["owners"].queryset = Membership.objects.for_organisation(
            cycle.organisation
        ).select_related("user")


class PublishForm(forms.Form):
    look_again_on = look_again_field()
