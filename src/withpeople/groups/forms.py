from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.groups.models import AGREEMENT_SECTIONS, NEED_FIELDS, GroupRole
from withpeople.organisations.models import PERSPECTIVE_CHOICES, Membership

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %m %Y", "%d %B %Y", "%d %b %Y"]


def date_field(label, *, required_message, help_text=None) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        help_text=help_text or _("For example, 27/3/2026"),
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"class": "govuk-input--width-10", "autocomplete": "off"}
        ),
        error_messages={
            "required": required_message,
            "invalid": _("Enter a real date, like 27/3/2026"),
        },
    )


class GroupForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the group"),
        max_length=200,
        help_text=_("For example, Co-production board"),
        error_messages={
            "required": _("Enter the name of the group"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )
    purpose = forms.CharField(
        label=_("What the group is for (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.name


def _perspective_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("How do they take part?"),
        choices=PERSPECTIVE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("People with lived experience and carers are partners."),
        error_messages={"required": _("Select how they take part")},
    )


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Role in the group"),
        choices=GroupRole.choices,
        initial=GroupRole.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select their role in the group")},
    )


class GroupMemberAddForm(forms.Form):
    membership = MembershipChoiceField(
        label=_("Someone with an account (optional)"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("No account: enter their name below"),
        help_text=_(
            "Choose a member of the organisation, or leave this for someone without an account."
        ),
        error_messages={"invalid_choice": _("Choose someone from the list")},
    )
    name = forms.CharField(
        label=_("Name or pseudonym"),
        max_length=150,
        required=False,
        help_text=_(
            "The name the group knows them by. For someone with an account, leave it empty to "
            "use the name on their account."
        ),
        error_messages={"max_length": _("The name must be 150 characters or fewer")},
    )
    contact = forms.CharField(
        label=_("How to reach them (optional)"),
        max_length=300,
        required=False,
        help_text=_("For someone without an account: an email address, phone number or address."),
        error_messages={"max_length": _("This must be 300 characters or fewer")},
    )
    perspective = _perspective_field()
    role = _role_field()
    joined_on = date_field(_("Date they joined"), required_message=_("Enter the date they joined"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.for_organisation(organisation)
            .select_related("user")
            .order_by("user__name")
        )
        self.fields["joined_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if not data.get("membership") and not (data.get("name") or "").strip():
            self.add_error(
                "name",
                _(
                    "Enter the name or pseudonym the group knows them by, or choose someone "
                    "with an account"
                ),
            )
        return data


class GroupMemberChangeForm(forms.Form):
    name = forms.CharField(
        label=_("Name or pseudonym"),
        max_length=150,
        error_messages={
            "required": _("Enter the name or pseudonym the group knows them by"),
            "max_length": _("The name must be 150 characters or fewer"),
        },
    )
    contact = forms.CharField(
        label=_("How to reach them (optional)"),
        max_length=300,
        required=False,
        help_text=_("An email address, phone number or address."),
        error_messages={"max_length": _("This must be 300 characters or fewer")},
    )
    perspective = _perspective_field()
    role = _role_field()
    joined_on = date_field(_("Date they joined"), required_message=_("Enter the date they joined"))

    def __init__(self, *args, has_account: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if has_account:
            del self.fields["contact"]


class GroupMemberEndForm(forms.Form):
    left_on = date_field(_("Date they left"), required_message=_("Enter the date they left"))


class AgreementOnBehalfForm(forms.Form):
    """Staff record that someone without an account agreed to the latest version."""

    agreed_on = date_field(
        _("When did they say they agree?"),
        required_message=_("Enter the date they said they agree"),
    )
    confirmed = forms.BooleanField(
        label=_("They have read this version, or had it read to them, and told me they agree"),
        error_messages={
            "required": _("Confirm that they told you they agree with this version"),
        },
    )


class AgreementForm(forms.Form):
    """Every section of a working agreement. Saving it makes a new version."""

    meaning = forms.CharField(
        label=AGREEMENT_SECTIONS[0][1],
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what co-production means for this work")},
    )
    aims = forms.CharField(
        label=AGREEMENT_SECTIONS[1][1],
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what the group wants to achieve")},
    )
    ways_of_working = forms.CharField(
        label=AGREEMENT_SECTIONS[2][1],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How meetings run, how people speak up, how disagreements are settled."),
        error_messages={"required": _("Say how the group works together")},
    )
    decisions_shared = forms.CharField(
        label=AGREEMENT_SECTIONS[3][1],
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say which decisions the group shares")},
    )
    decisions_not_shared = forms.CharField(
        label=AGREEMENT_SECTIONS[4][1],
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For each, say why it cannot be shared, for example a legal duty."),
    )
    resources_shared = forms.CharField(
        label=AGREEMENT_SECTIONS[5][1],
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    who_does_what = forms.CharField(
        label=AGREEMENT_SECTIONS[6][1],
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    support = forms.CharField(
        label=AGREEMENT_SECTIONS[7][1],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Payment, expenses, access needs, training."),
        error_messages={"required": _("Say how people are supported")},
    )
    review_on = date_field(
        _("When we review this agreement"),
        required_message=_("Enter the date the group will review this agreement"),
    )
    change_note = forms.CharField(
        label=_("What changed and why (optional)"),
        max_length=300,
        required=False,
        error_messages={"max_length": _("This must be 300 characters or fewer")},
    )


class AccessNeedsForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("What do you need?"),
        choices=NEED_FIELDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply. Leave them all unticked if you need nothing extra."),
        error_messages={"invalid_choice": _("Select only the needs listed")},
    )
    interpreter_language = forms.CharField(
        label=_("If you need an interpreter, which language?"),
        max_length=100,
        required=False,
        help_text=_("For example, Polish"),
        error_messages={"max_length": _("The language must be 100 characters or fewer")},
    )
    meeting_times_detail = forms.CharField(
        label=_("If you need meetings at certain times, which times work?"),
        max_length=300,
        required=False,
        help_text=_("For example, mornings after 10am, not Fridays"),
        error_messages={"max_length": _("This must be 300 characters or fewer")},
    )
    other_detail = forms.CharField(
        label=_("If you need something else, what is it?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args, about_someone_else: bool = False, replaces_hidden: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if replaces_hidden:
            # Needs are already recorded, and the person saving cannot see them.
            self.fields["replaces_hidden"] = forms.BooleanField(
                label=_(
                    "I understand this replaces the needs already recorded, which I cannot see"
                ),
                error_messages={
                    "required": _(
                        "Confirm that you understand this replaces the needs already recorded"
                    ),
                },
            )
        if about_someone_else:
            self.fields["needs"].label = _("What do they need?")
            self.fields["needs"].help_text = _("Select all that apply.")
            self.fields["interpreter_language"].label = _(
                "If they need an interpreter, which language?"
            )
            self.fields["meeting_times_detail"].label = _(
                "If they need meetings at certain times, which times work?"
            )
            self.fields["other_detail"].label = _("If they need something else, what is it?")

    def clean(self):
        data = super().clean()
        needs = data.get("needs") or []
        if "interpreter" in needs and not (data.get("interpreter_language") or "").strip():
            self.add_error(
                "interpreter_language",
                _("Enter the language for the interpreter, for example Polish"),
            )
        if "meeting_times" in needs and not (data.get("meeting_times_detail") or "").strip():
            self.add_error("meeting_times_detail", _("Enter the times that work for meetings"))
        if "other" in needs and not (data.get("other_detail") or "").strip():
            self.add_error("other_detail", _("Enter what else is needed"))
        return data
