from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from portal.forms import DesignsystemetMixin


class LoginForm(DesignsystemetMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-post"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(
        label=_("Passord"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _("Feil e-post eller passord. Sjekk at du har skrevet riktig, og prøv igjen."),
        "inactive": _("Denne kontoen er deaktivert. Kontakt administrativt ansvarlig i organisasjonen din."),
    }


class _CodeInput(forms.TextInput):
    """A one-time code: never echoed back after a failed try, no spelling help, the OS may fill it."""

    def __init__(self, **attrs):
        super().__init__(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off", **attrs}
        )

    def format_value(self, value):
        return None


class TotpCodeForm(DesignsystemetMixin, forms.Form):
    """Six digits from the authenticator app (setting it up, or turning it off)."""

    code = forms.CharField(
        label=_("Kode fra appen"),
        help_text=_("Seks siffer. Koden skifter hvert 30. sekund."),
        max_length=20,
        widget=_CodeInput(inputmode="numeric"),
        error_messages={"required": _("Skriv inn den sekssifrede koden fra autentiseringsappen.")},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError(_("Koden er seks siffer, for eksempel 123456."))
        return code


class TwoFactorVerifyForm(DesignsystemetMixin, forms.Form):
    """The second step of logging in: a code from the app, or one of the backup codes."""

    code = forms.CharField(
        label=_("Engangskode"),
        help_text=_("Skriv den sekssifrede koden fra autentiseringsappen, eller en av reservekodene dine."),
        max_length=20,
        widget=_CodeInput(autofocus=True),
        error_messages={"required": _("Skriv inn koden fra autentiseringsappen eller en reservekode.")},
    )
