"""Forms for meetings. Messages follow the GOV.UK style: say what to do to fix it."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.core.domain_text import PARTNER_PART_CHOICES
from withpeople.meetings.models import ARRANGEMENT_FIELDS, Meeting, Reply
from withpeople.recognition.models import Preference

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
TIME_FORMATS = ["%H:%M", "%H.%M", "%I%p", "%I:%M%p", "%I.%M%p", "%I %p", "%I:%M %p"]


class TimeInWordsField(forms.TimeField):
    """Accepts 14:00, 2pm, 2:30pm and 2.30 pm."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").upper()
            value = {"MIDDAY": "12:00", "NOON": "12:00", "MIDNIGHT": "00:00"}.get(value, value)
        return super().to_python(value)


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.membership_id:
            return f"{obj.name} ({obj.get_perspective_display()})"
        return _("%(name)s (%(perspective)s, no account)") % {
            "name": obj.name,
            "perspective": obj.get_perspective_display(),
        }


class AspectChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example, Planning the new day service"),
        error_messages={"required": _("Enter a title for the meeting")},
    )
    aspects = AspectChoices(
        label=_("What is it about?"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select the aspects of the piece of work the meeting is about."),
    )
    date = forms.DateField(
        label=_("Date"),
        input_formats=DATE_FORMATS,
        help_text=_("For example, 12/01/2027"),
        error_messages={
            "required": _("Enter the date of the meeting"),
            "invalid": _("Enter the date as day, month and year, for example 12/01/2027"),
        },
    )
    start_time = TimeInWordsField(
        label=_("Start time"),
        input_formats=TIME_FORMATS,
        help_text=_("For example, 2pm or 14:00"),
        error_messages={
            "required": _("Enter the time the meeting starts"),
            "invalid": _("Enter the start time as, for example, 2pm or 14:00"),
        },
    )
    end_time = TimeInWordsField(
        label=_("End time"),
        input_formats=TIME_FORMATS,
        help_text=_("For example, 4pm or 16:00"),
        error_messages={
            "required": _("Enter the time the meeting ends"),
            "invalid": _("Enter the end time as, for example, 4pm or 16:00"),
        },
    )
    place = forms.CharField(
        label=_("Place (optional if it is online)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The building and room, and its address."),
    )
    online_link = forms.URLField(
        label=_("Link to join online (optional)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter the link in full, starting https://")},
    )
    getting_there = forms.CharField(
        label=_("How to get there (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Buses, parking, which door to use."),
    )
    arrangements = forms.MultipleChoiceField(
        label=_("Access arrangements"),
        choices=ARRANGEMENT_FIELDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that there will be."),
    )
    access_notes = forms.CharField(
        label=_("More about access (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    agenda = forms.CharField(
        label=_("Agenda (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    papers = forms.CharField(
        label=_("Papers (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What to read before, or links to the papers."),
    )
    invitees = MemberChoices(
        label=_("Who is invited?"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Everyone in the group is selected. People without an account are sent a link to "
            "reply by email, if the group has their email address."
        ),
    )

    def __init__(self, *args, group, meeting: Meeting | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        work = getattr(group, "work", None)
        if work is None:
            del self.fields["aspects"]
        else:
            self.fields["aspects"].queryset = work.aspects.all()
        members = group.members.current().order_by("name", "pk")
        if meeting is not None:
            members = members.exclude(pk__in=meeting.invitations.values("member"))
            self.fields["invitees"].label = _("Invite anyone else?")
            self.fields["invitees"].help_text = _("Everyone already invited is told of the change.")
        self.fields["invitees"].queryset = members
        if meeting is None and not self.is_bound:
            self.initial.setdefault("invitees", list(members.values_list("pk", flat=True)))
        if not self.fields["invitees"].queryset.exists() and meeting is not None:
            del self.fields["invitees"]

    def clean(self):
        data = super().clean()
        date, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if date and start and end:
            data["starts_at"] = timezone.make_aware(dt.datetime.combine(date, start))
            data["ends_at"] = timezone.make_aware(dt.datetime.combine(date, end))
            if end <= start:
                self.add_error("end_time", _("The end time must be after the start time"))
            elif data["starts_at"] <= timezone.now():
                self.add_error("date", _("The meeting must be in the future"))
        if not (data.get("place") or "").strip() and not data.get("online_link"):
            self.add_error("place", _("Enter a place, a link to join online, or both"))
        if self.meeting is None and "invitees" in self.fields and not data.get("invitees"):
            self.add_error("invitees", _("Select at least one person to invite"))
        return data

    def meeting_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "title",
                "starts_at",
                "ends_at",
                "place",
                "online_link",
                "getting_there",
                "access_notes",
                "agenda",
                "papers",
            )
        }
        chosen = set(data.get("arrangements") or ())
        fields |= {field: field in chosen for field, _label in ARRANGEMENT_FIELDS}
        return fields


def meeting_initial(meeting: Meeting) -> dict:
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return {
        "title": meeting.title,
        "aspects": list(meeting.aspects.values_list("pk", flat=True)),
        "date": starts.strftime("%d/%m/%Y"),
        "start_time": starts.strftime("%H:%M"),
        "end_time": ends.strftime("%H:%M"),
        "place": meeting.place,
        "online_link": meeting.online_link,
        "getting_there": meeting.getting_there,
        "arrangements": [f for f, _label in ARRANGEMENT_FIELDS if getattr(meeting, f)],
        "access_notes": meeting.access_notes,
        "agenda": meeting.agenda,
        "papers": meeting.papers,
    }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone invited is told this."),
        error_messages={"required": _("Enter why the meeting is cancelled")},
    )


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Can you come?"),
        choices=Reply.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether you can come")},
    )
    access_needs = forms.CharField(
        label=_("Is there anything you need to take part in this meeting? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example, a ramp, a quiet room or papers in large print. Only the organisers "
            "see this."
        ),
    )
    recognition = forms.ChoiceField(
        label=_("How do you want to be recognised for your time?"),
        choices=Preference.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "We have started from what you told us before. You can change it for this meeting."
        ),
    )


class AttendanceForm(forms.Form):
    attended = MemberChoices(
        label=_("Who attended?"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everyone who said yes is selected."),
    )
    parts = forms.MultipleChoiceField(
        label=_("What part did partners have? At this meeting…"),
        choices=PARTNER_PART_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from withpeople.groups.models import GroupMember

        self.fields["attended"].queryset = GroupMember.objects.filter(
            meeting_invitations__meeting=meeting
        ).order_by("name", "pk")
        if meeting.work is None:
            del self.fields["parts"]


#: The times before a meeting that an organisation can choose to send reminders, in minutes.
REMINDER_CHOICES = [
    ("10080", _("A week before")),
    ("2880", _("2 days before")),
    ("1440", _("A day before")),
    ("120", _("2 hours before")),
    ("60", _("An hour before")),
]


class ReminderSettingsForm(forms.Form):
    reminders = forms.MultipleChoiceField(
        label=_("When should people be reminded of a meeting?"),
        choices=REMINDER_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Nobody who said they cannot come is reminded. Select none to send no reminders."
        ),
    )
