from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.forms import DesignsystemetMixin

from .services import password_reset_email_send


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


class PasswordResetRequestForm(DesignsystemetMixin, PasswordResetForm):
    """Django's reset form (active users with a usable password only), sending through our service."""

    email = forms.EmailField(
        label=_("E-post"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Skriv inn e-postadressen du logger inn med."),
            "invalid": _("Skriv inn en gyldig e-postadresse, for eksempel navn@kommune.no."),
        },
    )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # Django's save() found the user and made the token; our templates and language live in
        # the service. The link points at the host the request came to (ALLOWED_HOSTS applies).
        path = reverse("password-reset-confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        password_reset_email_send(user=context["user"], reset_url=f"{context['protocol']}://{context['domain']}{path}")


class NewPasswordForm(DesignsystemetMixin, SetPasswordForm):
    """A new password, checked by AUTH_PASSWORD_VALIDATORS; the fields are never filled back in."""

    new_password1 = forms.CharField(
        label=_("Nytt passord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        help_text=_(
            "Minst 10 tegn. Ikke bruk et vanlig passord, bare tall, "
            "eller noe som ligner navnet eller e-postadressen din."
        ),
        error_messages={"required": _("Skriv inn et nytt passord.")},
    )
    new_password2 = forms.CharField(
        label=_("Gjenta det nye passordet"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Skriv inn det nye passordet en gang til.")},
    )

    error_messages = {"password_mismatch": _("De to passordene er ikke like. Skriv det samme passordet to ganger.")}

    def clean(self):
        # Django puts the validators' complaints on the repeat field; they belong to the first.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class SettingsForm(DesignsystemetMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Fullt navn"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Skriv inn navnet ditt.")},
    )
    language = forms.ChoiceField(
        label=_("Språk"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg et språk.")},
        help_text=_("Sidene og e-postene du får fra portalen, kommer på dette språket."),
    )


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


class TotpSetupForm(TotpCodeForm):
    """Confirming the app being set up; staff also give the code we mailed them."""

    email_code = forms.CharField(
        label=_("Kode fra e-posten"),
        max_length=20,
        widget=_CodeInput(inputmode="numeric"),
        error_messages={"required": _("Skriv inn den sekssifrede koden vi sendte deg på e-post.")},
    )

    def __init__(self, *args, email_code_required: bool, email_code_minutes: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if email_code_required:
            self.fields["email_code"].help_text = ngettext(
                "Seks siffer. Koden virker i %(minutes)d minutt etter at vi sendte den.",
                "Seks siffer. Koden virker i %(minutes)d minutter etter at vi sendte den.",
                email_code_minutes,
            ) % {"minutes": email_code_minutes}
        else:
            del self.fields["email_code"]

    def clean_email_code(self):
        code = "".join(self.cleaned_data["email_code"].split())
        if not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError(_("Koden i e-posten er seks siffer, for eksempel 123456."))
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
