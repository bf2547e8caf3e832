from django import forms
from django.utils.translation import gettext_lazy as _

from withpeople.organisations.models import PERSPECTIVE_CHOICES, Role


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We will send an invitation link to this address."),
        error_messages={
            "required": _("Enter the email address of the person you want to invite"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        help_text=_("Partners see the same screens as staff. Admins can also manage members."),
        error_messages={"required": _("Select a role")},
    )
    perspective = forms.ChoiceField(
        label=_("How do they take part?"),
        choices=PERSPECTIVE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how they take part")},
    )


class MembershipForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a role")},
    )
    perspective = forms.ChoiceField(
        label=_("How do they take part?"),
        choices=PERSPECTIVE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how they take part")},
    )
