from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from withpeople.domain import single_sign_on as sso_rules
from withpeople.organisations.models import SecondFactorRule
from withpeople.security import oidc


class SecondFactorRuleForm(forms.Form):
    rule = forms.ChoiceField(
        label=_("Who must sign in with a second factor?"),
        choices=SecondFactorRule.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "They give a code from an authenticator app as well as their password. Anyone else "
            "may still choose to."
        ),
        error_messages={"required": _("Choose who must sign in with a second factor")},
    )


class SingleSignOnForm(forms.Form):
    """An organisation's OpenID Connect provider. Saving fetches its discovery document first:
    if that fails, the form says so and nothing is saved."""

    issuer = forms.URLField(
        label=_("Issuer"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "The provider's issuer address, without /.well-known/openid-configuration. For "
            "Microsoft Entra ID and NHSmail: https://login.microsoftonline.com/ followed by your "
            "tenant ID and /v2.0"
        ),
        error_messages={
            "required": _("Enter the issuer address"),
            "invalid": _(
                "Enter the issuer address in the correct format, like "
                "https://login.microsoftonline.com/your-tenant-id/v2.0"
            ),
        },
    )
    client_id = forms.CharField(
        label=_("Client ID"),
        max_length=255,
        help_text=_("In Entra ID: the application (client) ID of the app you registered."),
        error_messages={"required": _("Enter the client ID")},
    )
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=2000,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
    )
    email_domains = forms.CharField(
        label=_("Email domains"),
        max_length=2000,
        help_text=_(
            "People whose email address is at one of these domains may sign in this way. "
            "Separate them with commas, like nhs.net, example.nhs.uk"
        ),
        error_messages={"required": _("Enter at least one email domain")},
    )
    trust_provider_email = forms.BooleanField(
        label=_(
            "Trust every email address the provider gives, even when it does not say it has "
            "checked it"
        ),
        required=False,
        help_text=_(
            "Only for a provider whose administrators set everyone's address, such as your own "
            "Entra ID tenant. Otherwise the provider must say the address is verified."
        ),
    )
    trust_provider_second_factor = forms.BooleanField(
        label=_("Accept the provider's second factor"),
        required=False,
        help_text=_(
            "Where this organisation requires a second factor, someone the provider asked for "
            "one (such as Microsoft Authenticator) is not asked again by WithPeople."
        ),
    )
    enabled = forms.BooleanField(
        label=_("Turn on single sign-on"),
        required=False,
    )

    def __init__(self, *args, has_secret: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret
        self.discovery = None
        self.fields["client_secret"].help_text = (
            _("A secret is saved and is never shown. Leave this empty to keep it.")
            if has_secret
            else _("The secret the provider gave for this client.")
        )

    def clean_issuer(self) -> str:
        return self.cleaned_data["issuer"].strip()

    def clean_email_domains(self) -> list[str]:
        domains, wrong = sso_rules.parse_domains(self.cleaned_data["email_domains"])
        if wrong:
            raise forms.ValidationError(
                _("“%(domain)s” is not an email domain. Enter domains like nhs.net")
                % {"domain": wrong[0]}
            )
        if not domains:
            raise forms.ValidationError(_("Enter at least one email domain"))
        return domains

    def clean(self):
        data = super().clean()
        if not self.has_secret and not data.get("client_secret"):
            self.add_error("client_secret", _("Enter the client secret"))
        issuer = data.get("issuer")
        if issuer and not self.errors:
            if not oidc.issuer_is_acceptable(issuer):
                self.add_error("issuer", _("Enter an issuer address that starts with https://"))
                return data
            try:
                self.discovery = oidc.discovery_fetch(issuer)
            except oidc.DiscoveryFailed:
                self.add_error(
                    "issuer",
                    _(
                        "WithPeople could not read an OpenID Connect discovery document at "
                        "this issuer address, naming this issuer. Check the address, and that "
                        "the provider can be reached, then try again. Nothing has been saved."
                    ),
                )
        return data


class SingleSignOnStartForm(forms.Form):
    email = forms.EmailField(
        label=_("Your work email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your work email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )


class SingleSignOnChoiceForm(SingleSignOnStartForm):
    """When more than one organisation signs in people at the same domain (NHSmail's nhs.net)."""

    organisation = forms.ChoiceField(
        label=_("Which organisation are you signing in to?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your organisation")},
    )

    def __init__(self, *args, organisations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget = forms.HiddenInput()
        self.fields["organisation"].choices = [(o.slug, o.name) for o in organisations]
