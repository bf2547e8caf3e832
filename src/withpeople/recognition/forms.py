from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.domain import money
from withpeople.domain.money import MAX_MINUTES
from withpeople.recognition.models import PaymentMethod, Preference

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y"]
DATE_HINT = _("For example, 27/3/2026")
#: More people than this and the person is chosen from a drop-down list, not radios.
MAX_RADIOS = 8


class MoneyField(forms.Field):
    """Pounds and pence as people type them ("£12.50", "12.5"), cleaned to a Decimal."""

    default_error_messages = {
        "required": _("Enter the amount in pounds and pence"),
        money.INVALID: _("Enter the amount in pounds and pence, like 12.50"),
        money.TOO_MANY_PENCE: _("Enter the amount with no more than 2 numbers for the pence"),
        money.NOT_POSITIVE: _("The amount must be more than £0"),
        money.TOO_LARGE: _("The amount must be less than £100,000,000"),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "maxlength": "20",
                    "inputmode": "decimal",
                    "class": "govuk-input--width-10",
                    "spellcheck": "false",
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if value in self.empty_values:
            return None
        try:
            return money.parse_pounds(value)
        except money.MoneyError as error:
            code = money.INVALID if error.code == money.EMPTY else error.code
            raise forms.ValidationError(self.error_messages[code], code=code) from None


def money_initial(value) -> str:
    return "" if value is None else f"{value:.2f}"


class DateField(forms.DateField):
    def __init__(self, *, required_message: str, **kwargs) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("help_text", DATE_HINT)
        kwargs.setdefault(
            "widget",
            forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input--width-10"}),
        )
        kwargs.setdefault(
            "error_messages",
            {
                "required": required_message,
                "invalid": _("Enter a real date, like 27/3/2026"),
            },
        )
        super().__init__(**kwargs)


class PolicyForm(forms.Form):
    hourly_rate = MoneyField(label=_("Rate per hour (£)"), required=False)
    half_day_rate = MoneyField(
        label=_("Rate for a half day (£)"),
        required=False,
        help_text=_("Paid for more than 3 hours, up to 5 hours. Leave empty to pay by the hour."),
    )
    day_rate = MoneyField(
        label=_("Rate for a day (£)"),
        required=False,
        help_text=_("Paid for more than 5 hours. Leave empty to use the half-day rate."),
    )
    voucher_provider = forms.CharField(label=_("Voucher provider"), required=False, max_length=200)
    voucher_value_per_hour = MoneyField(label=_("Voucher value per hour (£)"), required=False)
    voucher_value_per_session = MoneyField(
        label=_("Voucher value per session (£)"),
        required=False,
        help_text=_("Used when there is no value per hour."),
    )
    benefits_advice_text = forms.CharField(
        label=_("Where to get advice about benefits"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Shown to everyone choosing payment or vouchers. Name a free, independent service."
        ),
    )
    benefits_advice_url = forms.URLField(
        label=_("Link to benefits advice"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": _("Enter a web address in the correct format, like https://example.org")
        },
    )

    def clean(self):
        data = super().clean()
        half_day = data.get("half_day_rate")
        day = data.get("day_rate")
        if (half_day or day) and not data.get("hourly_rate") and "hourly_rate" not in self.errors:
            self.add_error(
                "hourly_rate",
                _("Enter a rate per hour: half-day and day rates start after 3 hours"),
            )
        return data


class ExpenseCategoryForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        error_messages={"required": _("Enter the name of the category, like Travel")},
    )
    limit_per_claim = MoneyField(
        label=_("Limit per claim (£)"),
        required=False,
        help_text=_("Leave empty for no limit. A claim over the limit needs a reason."),
    )
    receipt_required = forms.TypedChoiceField(
        label=_("Does a claim need a receipt?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if a claim needs a receipt")},
    )


class PersonChoiceMixin:
    """The `member` field: whose time or claim it is.

    A person is a group member once for each group they are in, so the choice is always of a
    person in a group. Someone recording only for themselves is asked which group it is for,
    with the groups' names (`own_label`, `own_errors`); staff who record for others choose from
    "name — group", so the same person in two groups can be told apart.
    """

    own_label: str
    own_errors: dict[str, str]

    def set_people(self, people, *, yourself: bool) -> None:
        self.people = {member.pk: member for member in people}
        field = self.fields["member"]
        if yourself:
            field.label = self.own_label
            field.error_messages = {**field.error_messages, **self.own_errors}
            field.choices = [(member.pk, member.group.name) for member in people]
        else:
            field.choices = [
                (
                    member.pk,
                    _("%(name)s — %(group)s") % {"name": member.name, "group": member.group.name},
                )
                for member in people
            ]
        if len(self.people) > MAX_RADIOS:
            # A long list of radios is hard to scan: choose from a list instead.
            field.widget = forms.Select(attrs={"class": "govuk-!-width-full"})
            empty = _("Choose a group") if yourself else _("Choose a person")
            field.choices = [("", empty), *field.choices]
        if len(self.people) == 1:
            field.initial = next(iter(self.people))

    def clean_member(self):
        return self.people[int(self.cleaned_data["member"])]


class TimeRecordForm(PersonChoiceMixin, forms.Form):
    member = forms.TypedChoiceField(
        label=_("Who gave the time?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select who gave the time"),
            "invalid_choice": _("Select who gave the time from the list"),
        },
    )
    own_label = _("Which group was this time for?")
    own_errors = {
        "required": _("Select which group the time was for"),
        "invalid_choice": _("Select one of the groups listed"),
    }
    activity = forms.TypedChoiceField(
        label=_("Activity (optional)"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave as 'No activity' for time given outside one, like reading papers."),
        error_messages={"invalid_choice": _("Select one of the activities listed")},
    )
    date = DateField(label=_("Date"), required_message=_("Enter the date the time was given"))
    hours = forms.IntegerField(
        label=_("Hours"),
        min_value=0,
        max_value=24,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": _("Enter the hours as a whole number, like 2"),
            "min_value": _("Hours must be 0 or more"),
            "max_value": _("Hours must be 24 or fewer"),
        },
    )
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=0,
        max_value=59,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": _("Enter the minutes as a whole number, like 30"),
            "min_value": _("Minutes must be 0 or more"),
            "max_value": _("Minutes must be 59 or fewer"),
        },
    )
    description = forms.CharField(
        label=_("What was the time for? (optional)"), required=False, max_length=300
    )

    def __init__(self, *args, people, yourself, activities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_people(people, yourself=yourself)
        self.activities = {activity.pk: activity for activity in activities}
        by_work: dict[int, tuple[str, list]] = {}
        for activity in activities:
            _title, choices = by_work.setdefault(activity.work_id, (activity.work.title, []))
            choices.append((activity.pk, f"{activity} ({activity.date:%d/%m/%Y})"))
        # Grouped by piece of work, so a long list stays easy to find your way in.
        self.fields["activity"].choices = [("", _("No activity")), *by_work.values()]

    def clean_activity(self):
        pk = self.cleaned_data.get("activity")
        return None if pk is None else self.activities.get(pk)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date must be today or in the past"))
        return date

    def clean(self):
        data = super().clean()
        if "hours" in self.errors or "minutes" in self.errors:
            return data
        total = (data.get("hours") or 0) * 60 + (data.get("minutes") or 0)
        if total <= 0:
            self.add_error("hours", _("Enter how long: the hours, the minutes or both"))
        elif total > MAX_MINUTES:
            self.add_error("hours", _("Enter no more than 24 hours for one day"))
        data["total_minutes"] = total
        return data


class TimeConfirmForm(forms.Form):
    """Confirm time proposed from a meeting, or change how long it was."""

    hours = TimeRecordForm.base_fields["hours"]
    minutes = TimeRecordForm.base_fields["minutes"]

    def clean(self):
        data = super().clean()
        if "hours" in self.errors or "minutes" in self.errors:
            return data
        total = (data.get("hours") or 0) * 60 + (data.get("minutes") or 0)
        if total <= 0:
            self.add_error("hours", _("Enter how long: the hours, the minutes or both"))
        elif total > MAX_MINUTES:
            self.add_error("hours", _("Enter no more than 24 hours for one day"))
        data["total_minutes"] = total
        return data


class PreferenceForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("How would you like your time to be recognised?"),
        choices=Preference.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how you would like your time to be recognised")},
    )
    benefits_note_seen = forms.BooleanField(
        label=_("I have read the note about payments and benefits"),
        required=False,
        help_text=_("Needed for payment or vouchers."),
    )
    payment_details = forms.CharField(
        label=_("Bank or payment details (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where to send payments or vouchers. You can give these to staff instead."),
    )
    notes = forms.CharField(
        label=_("Anything else we should know? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PaymentForm(forms.Form):
    time_records = forms.TypedMultipleChoiceField(
        label=_("Which time is this payment for?"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose only time listed here")},
    )
    method = forms.ChoiceField(
        label=_("How will it be paid?"),
        choices=PaymentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how it will be paid")},
    )
    amount = MoneyField(
        label=_("Amount (£) (optional)"),
        required=False,
        help_text=_("Leave empty to work it out from the time chosen and the policy's rates."),
    )
    over_policy_reason = forms.CharField(
        label=_("Reason for paying more than the policy gives (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed for an amount above what the policy gives for the time chosen, or for an "
            "amount with no time chosen. The colleague who approves the payment sees it."
        ),
    )
    notes = forms.CharField(label=_("Notes (optional)"), required=False, max_length=2000)

    def __init__(self, *args, time_records, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.records = {record.pk: record for record in time_records}
        self.fields["time_records"].choices = [
            (
                record.pk,
                _("%(date)s: %(minutes)s minutes%(activity)s")
                % {
                    "date": f"{record.date:%d/%m/%Y}",
                    "minutes": record.minutes,
                    "activity": f" ({record.activity})" if record.activity else "",
                },
            )
            for record in time_records
        ]

    def clean_time_records(self):
        return [self.records[pk] for pk in self.cleaned_data["time_records"]]

    def clean(self):
        data = super().clean()
        if not data.get("time_records") and not data.get("amount") and not self.errors:
            self.add_error("time_records", _("Choose the time this payment is for"))
        return data


class PaidForm(forms.Form):
    paid_on = DateField(label=_("Date paid"), required_message=_("Enter the date it was paid"))


class ExpenseClaimForm(PersonChoiceMixin, forms.Form):
    member = forms.TypedChoiceField(
        label=_("Who is claiming?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select who is claiming"),
            "invalid_choice": _("Select who is claiming from the list"),
        },
    )
    own_label = _("Which group is this expense for?")
    own_errors = {
        "required": _("Select which group this expense is for"),
        "invalid_choice": _("Select one of the groups listed"),
    }
    category = forms.TypedChoiceField(
        label=_("What kind of expense is it?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what kind of expense it is"),
            "invalid_choice": _("Select one of the kinds of expense listed"),
        },
    )
    date = DateField(
        label=_("Date of the expense"), required_message=_("Enter the date of the expense")
    )
    description = forms.CharField(
        label=_("What was it for?"),
        max_length=300,
        help_text=_("For example, bus fare to the workshop on 3 March."),
        error_messages={"required": _("Enter what the expense was for")},
    )
    amount = MoneyField(label=_("Amount (£)"), help_text=_("For example, 12.50"))
    over_limit_reason = forms.CharField(
        label=_("Reason for going over the limit (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    receipt = forms.FileField(
        label=_("Receipt"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file, smaller than 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        error_messages={
            "invalid": _("The selected file could not be read. Choose the file again"),
            "empty": _("The receipt file is empty. Choose the file again"),
        },
    )

    def __init__(self, *args, people, yourself, categories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_people(people, yourself=yourself)
        self.categories = {category.pk: category for category in categories}
        self.fields["category"].choices = [
            (category.pk, _category_label(category)) for category in categories
        ]

    def clean_category(self):
        return self.categories[self.cleaned_data["category"]]


def _category_label(category) -> str:
    parts = [category.name]
    if category.limit_per_claim is not None:
        parts.append(
            str(_("up to %(limit)s a claim"))
            % {"limit": money.format_pounds(category.limit_per_claim)}
        )
    if category.receipt_required:
        parts.append(str(_("receipt needed")))
    return parts[0] + (f" ({', '.join(parts[1:])})" if len(parts) > 1 else "")


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the claim rejected?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person will see this."),
        error_messages={"required": _("Enter the reason for rejecting the claim")},
    )


class ExportForm(forms.Form):
    start = DateField(label=_("From"), required_message=_("Enter the first date of the period"))
    end = DateField(label=_("To"), required_message=_("Enter the last date of the period"))
    file_format = forms.ChoiceField(
        label=_("File format"),
        choices=[
            ("csv", _("CSV (comma-separated values)")),
            ("xlsx", _("Excel (XLSX)")),
            ("ods", _("OpenDocument spreadsheet (ODS)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a file format")},
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The last date must be the same as or after the first date"))
        return data
