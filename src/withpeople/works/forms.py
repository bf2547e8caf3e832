"""Forms for pieces of work. Messages follow the GOV.UK style: say what to do to fix it."""

from __future__ import annotations

import json

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from withpeople.core.domain_text import (
    DECIDER_CHOICES,
    FLAG_CHOICES,
    PARTNER_PART_CHOICES,
    REASON_CHOICES,
    ROLE_CHOICES,
    translate,
)
from withpeople.core.forms import RadioSelectWithHints
from withpeople.core.ladder_labels import LEVEL_CHOICES, rung_name, rung_summary
from withpeople.domain import evidence_checks as checks
from withpeople.domain import history as history_rules
from withpeople.domain.ladder import RUNGS, TOP
from withpeople.domain.work_record import WorkRecordInvalid, parse_work_record
from withpeople.organisations.models import PERSPECTIVE_CHOICES, Membership
from withpeople.works.models import ActivityKind, WorkStatus

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
#: The rungs top first, numbered, labelled in the language of the request.
RUNG_RADIOS = [
    (rung.slug, format_lazy("{}. {}", rung.position, rung_name(rung))) for rung in reversed(RUNGS)
]
#: Each rung's plain-English summary, the words of the public ladder page, as a radio hint.
RUNG_HINTS = {rung.slug: rung_summary(rung) for rung in RUNGS}
MAX_RECORD_BYTES = 5 * 1024 * 1024


def _date_field(label, *, required: bool = True, required_message: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=_("For example, 27/3/2026"),
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"class": "govuk-input--width-10", "autocomplete": "off"}
        ),
        error_messages={
            "required": required_message,
            "invalid": _("Enter a real date, like 27/3/2026"),
        },
    )


def add_problems(
    form: forms.BaseForm, problems: list[checks.Problem], *, fields: dict | None = None
) -> None:
    """Show the problems the evidence checks found, each on its field, in the reader's language."""
    for problem in problems:
        field = (fields or {}).get(problem.field, problem.field)
        form.add_error(field, forms.ValidationError(translate(problem.message), code=problem.code))


#: The box that confirms a date outside the dates of the piece of work.
DATE_CONFIRMED = "date_confirmed"


class EvidenceDateForm(forms.Form):
    """A form for evidence with a date, checked by `evidence_checks.evidence_date_problems`.

    A date outside the dates of the piece of work is not refused: the error comes with a box,
    "Yes, this date is right", shown under the date only then (and kept once ticked), as
    GOV.UK services ask someone to confirm an unusual answer rather than block it.
    """

    date_of = checks.ACTIVITY

    def __init__(self, *args, work, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.work = work
        if self.is_bound and self.data.get(DATE_CONFIRMED):
            self.show_date_confirmation()

    def show_date_confirmation(self) -> None:
        if DATE_CONFIRMED in self.fields:
            return
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name == "date":
                fields[DATE_CONFIRMED] = forms.BooleanField(
                    label=_("Yes, this date is right"), required=False
                )
        self.fields = fields

    def clean(self):
        data = super().clean()
        date = data.get("date")
        if date:
            problems = checks.evidence_date_problems(
                date,
                today=timezone.localdate(),
                of=self.date_of,
                starts_on=self.work.starts_on,
                ends_on=self.work.ends_on,
                confirmed=bool(data.get(DATE_CONFIRMED)),
            )
            if any(problem.confirmable for problem in problems):
                self.show_date_confirmation()
            add_problems(self, problems)
        return data


class MembershipChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.name


class OneMembershipChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.name} ({obj.get_perspective_display()})"


class WorkForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example, Learning disability strategy 2026 to 2030"),
        error_messages={
            "required": _("Enter a title for the piece of work"),
            "max_length": _("The title must be 200 characters or fewer"),
        },
    )
    summary = forms.CharField(
        label=_("Summary (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the piece of work is for, in plain English."),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=LEVEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the level of the piece of work")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=WorkStatus.choices,
        initial=WorkStatus.PLANNING,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the status of the piece of work")},
    )
    starts_on = _date_field(_("Start date (optional)"), required=False)
    ends_on = _date_field(_("End date (optional)"), required=False)
    leads = MembershipChoice(
        label=_("Leads (optional)"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Partners can lead a piece of work too."),
    )

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leads"].queryset = Membership.objects.for_organisation(
            organisation
        ).select_related("user")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date must be the same as or after the start date"))
        return data


def change_reason_field(*, withdrawing: bool = False) -> forms.CharField:
    """The one short field a change or a withdrawal needs: why. It is kept in the history."""
    return forms.CharField(
        label=_("Why are you withdrawing this?")
        if withdrawing
        else _("Why are you changing this?"),
        max_length=history_rules.CHANGE_REASON_MAX_LENGTH,
        help_text=(
            _("For example, It was recorded twice. It stays in the history, shown as withdrawn.")
            if withdrawing
            else _("For example, The date was wrong. It is kept in the history of this work.")
        ),
        error_messages={
            "required": _("Say why you are withdrawing this")
            if withdrawing
            else _("Say why you are changing this"),
            "max_length": _("The reason must be %(limit_value)s characters or fewer"),
        },
    )


class ChangeReasonMixin:
    """Adds "Why are you changing this?" to a form that changes something already recorded."""

    def add_change_reason(self) -> None:
        self.fields["change_reason"] = change_reason_field()  # type: ignore[attr-defined]

    def clean_change_reason(self) -> str:
        reason = self.cleaned_data["change_reason"]  # type: ignore[attr-defined]
        for problem in history_rules.change_reason_problems(reason):
            raise forms.ValidationError(translate(problem.message), code=problem.code)
        return reason


class WithdrawForm(forms.Form):
    reason = change_reason_field(withdrawing=True)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        for problem in history_rules.change_reason_problems(reason, withdrawing=True):
            raise forms.ValidationError(translate(problem.message), code=problem.code)
        return reason


class AspectNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the aspect"),
        max_length=200,
        help_text=_("For example, Choosing providers"),
        error_messages={
            "required": _("Enter a name for the aspect"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )


class AspectPlanForm(ChangeReasonMixin, AspectNameForm):
    intended_rung = forms.ChoiceField(
        label=_("Where do you intend this aspect to be on the ladder?"),
        choices=RUNG_RADIOS,
        widget=RadioSelectWithHints(hints=RUNG_HINTS),
        help_text=_("Start at the top. Choose a lower rung only for a genuine reason."),
        error_messages={"required": _("Select where you intend this aspect to be")},
    )
    reason_category = forms.ChoiceField(
        label=_("Reason for stepping down (only if below co-production)"),
        choices=REASON_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    reason_explanation = forms.CharField(
        label=_("Explain why, in plain English (only if below co-production)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("This is shown to everyone on the openness statement."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_change_reason()

    def clean(self):
        data = super().clean()
        rung = data.get("intended_rung")
        if rung and rung != TOP.slug:
            if not data.get("reason_category"):
                self.add_error(
                    "reason_category",
                    _("Select the reason for stepping down from co-production"),
                )
            add_problems(
                self,
                checks.reason_explanation_problems(data.get("reason_explanation") or ""),
                fields={"explanation": "reason_explanation"},
            )
        return data


class PersonForm(forms.Form):
    name = forms.CharField(
        label=_("Name or pseudonym"),
        max_length=150,
        help_text=_("The name the group knows them by. A first name or a pseudonym is fine."),
        error_messages={
            "required": _("Enter the name the group knows them by"),
            "max_length": _("The name must be 150 characters or fewer"),
        },
    )
    perspective = forms.ChoiceField(
        label=_("How do they take part?"),
        choices=PERSPECTIVE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how they take part")},
    )
    role = forms.ChoiceField(
        label=_("Role in the group"),
        choices=ROLE_CHOICES,
        initial="member",
        widget=forms.RadioSelect,
        error_messages={"required": _("Select their role in the group")},
    )
    membership = OneMembershipChoice(
        label=_("Their account in this organisation (optional)"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("No account"),
        help_text=_("People with an account can check in."),
    )

    def __init__(self, *args, work, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        taken = work.group.members.exclude(membership=None).values("membership")
        self.fields["membership"].queryset = (
            Membership.objects.for_organisation(work.organisation)
            .exclude(pk__in=taken)
            .select_related("user")
        )


class AspectChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_perspective_display()})"


class ActivityForm(ChangeReasonMixin, EvidenceDateForm):
    # Optional, as in the work record, whose activities have no title: an imported activity
    # can then be changed without inventing one.
    title = forms.CharField(
        label=_("Title (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example, Workshop on day opportunities"),
        error_messages={"max_length": _("The title must be 200 characters or fewer")},
    )
    date = _date_field(_("Date"), required_message=_("Enter the date of the activity"))
    aspect = AspectChoice(
        label=_("Which aspect was it about?"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Select which aspect the activity was about")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=ActivityKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the kind of activity")},
    )
    participants = MemberChoices(
        label=_("Who took part?"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only activities with partners taking part count as evidence."),
    )
    parts = forms.MultipleChoiceField(
        label=_("What part did partners have? At this activity…"),
        choices=PARTNER_PART_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
    )
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, work, activity=None, **kwargs) -> None:
        super().__init__(*args, work=work, **kwargs)
        self.fields["aspect"].queryset = work.aspects.all()
        self.fields["participants"].queryset = work.group.members.all()
        # A work record may give any kind ("drop-in"); keep it on offer when changing such an
        # activity, so that saving it does not force a different kind.
        if activity is not None and activity.kind not in ActivityKind.values:
            self.fields["kind"].choices = [*ActivityKind.choices, (activity.kind, activity.kind)]
        if activity is not None:
            self.add_change_reason()


class DecisionForm(ChangeReasonMixin, EvidenceDateForm):
    date_of = checks.DECISION

    summary = forms.CharField(
        label=_("What was decided?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter what was decided")},
    )
    date = _date_field(_("Date decided"), required_message=_("Enter the date it was decided"))
    aspect = AspectChoice(
        label=_("Which aspect was it about?"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Select which aspect the decision was about")},
    )
    decided_by = forms.ChoiceField(
        label=_("Who decided?"),
        choices=DECIDER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who decided")},
    )
    partner_input_changed_it = forms.BooleanField(
        label=_("Partners' input changed the decision"), required=False
    )
    change = forms.CharField(
        label=_("How did partners' input change it? (if it did)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    feedback_given_on = _date_field(
        _("Date partners were told the outcome (optional)"), required=False
    )

    def __init__(self, *args, work, decision=None, **kwargs) -> None:
        super().__init__(*args, work=work, **kwargs)
        self.fields["aspect"].queryset = work.aspects.all()
        self.fields["feedback_given_on"].help_text = _(
            "Closing the loop: leave empty if partners have not been told yet. "
            "For example, 27/3/2026"
        )
        if decision is not None:
            self.add_change_reason()

    def clean(self):
        data = super().clean()
        changed = bool(data.get("partner_input_changed_it"))
        add_problems(self, checks.change_problems(changed, data.get("change") or ""))
        # Not kept behind an unticked box: the page would show "No" and still store the text.
        if "change" in data:
            data["change"] = checks.applicable_change(changed, data["change"])
        date, told = data.get("date"), data.get("feedback_given_on")
        if told:
            add_problems(
                self,
                checks.evidence_date_problems(
                    told,
                    today=timezone.localdate(),
                    of=checks.FEEDBACK,
                    field="feedback_given_on",
                ),
            )
        if date and told and told < date:
            self.add_error(
                "feedback_given_on",
                _("The date partners were told must be the same as or after the date decided"),
            )
        return data


class RoundForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the round"),
        max_length=100,
        help_text=_("For example, Spring 2026"),
        error_messages={
            "required": _("Enter a name for the round"),
            "max_length": _("The name must be 100 characters or fewer"),
        },
    )
    closes_on = _date_field(_("Closes on (optional)"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].help_text = _(
            "The last day people can answer, for example 27/3/2026. The round closes after "
            "this day and its results are shown. Leave it empty to close the round yourself."
        )

    def clean_closes_on(self):
        closes_on = self.cleaned_data.get("closes_on")
        if closes_on is not None and closes_on < timezone.localdate():
            raise forms.ValidationError(_("The closing date must be today or in the future"))
        return closes_on


class CheckinForm(forms.Form):
    """One question per aspect: where do you think it is on the ladder?"""

    def __init__(self, *args, aspects, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.aspects = list(aspects)
        for aspect in self.aspects:
            self.fields[f"aspect_{aspect.pk}"] = forms.ChoiceField(
                label=_("%(name)s: where do you think this is?") % {"name": aspect.name},
                choices=RUNG_RADIOS,
                widget=RadioSelectWithHints(hints=RUNG_HINTS),
                error_messages={
                    "required": _("Select where you think %(name)s is on the ladder")
                    % {"name": aspect.name}
                },
            )

    def answers(self) -> dict:
        return {aspect: self.cleaned_data[f"aspect_{aspect.pk}"] for aspect in self.aspects}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a work record"),
        help_text=_(
            "A JSON file in the withpeople.work/2 or withpeople.work/1 format, up to 5 MB."
        ),
        error_messages={
            "required": _("Select a work record file"),
            "empty": _("The selected file is empty. Select a work record file"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RECORD_BYTES:
            raise forms.ValidationError(_("The selected file must be smaller than 5 MB"))
        try:
            data = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError(
                _("The selected file must be a work record in JSON. Check it is the right file")
            ) from None
        except RecursionError:
            # Python's JSON reader gives up on lists nested about a thousand deep.
            raise forms.ValidationError(
                _(
                    "The selected file has lists or objects nested too deeply to be a work "
                    "record. Check it is the right file"
                )
            ) from None
        try:
            self.record = parse_work_record(data)
        except WorkRecordInvalid as invalid:
            raise forms.ValidationError(invalid.errors) from None
        return upload


class WorkFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("Any level")), *LEVEL_CHOICES], required=False
    )
    flag = forms.ChoiceField(
        label=_("Flag"), choices=[("", _("Any flag")), *FLAG_CHOICES], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *WorkStatus.choices], required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("title", _("Title")),
            ("flags", _("Most flags first")),
        ],
        required=False,
    )
