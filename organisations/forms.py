from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.forms import DesignsystemetMixin

from .models import Membership


class InviteForm(DesignsystemetMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-postadressen til kollegaen"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Skriv e-postadressen til den du vil invitere."),
            "invalid": _("Skriv en gyldig e-postadresse, for eksempel navn@kommune.no."),
        },
    )
    role = forms.ChoiceField(
        label=_("Rolle"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER, required=False,
        error_messages={"invalid_choice": _("Du kan bare invitere som medlem. Be administrativt ansvarlig om å "
                                            "invitere en ny administrativt ansvarlig.")},
    )  # fmt: skip

    def __init__(self, *args, may_invite_ansvarlig: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_invite_ansvarlig:
            # A member invites colleagues as members; the role is not a choice for them.
            self.fields["role"].choices = [(Membership.Role.MEMBER, Membership.Role.MEMBER.label)]
            self.fields["role"].widget = forms.HiddenInput()

    def clean_role(self):
        return self.cleaned_data["role"] or Membership.Role.MEMBER


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices)


class NewAccountForm(DesignsystemetMixin, forms.Form):
    """For a person without an account who accepts an invitation: the e-mail is the invited one."""

    full_name = forms.CharField(
        label=_("Fullt navn"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Skriv navnet ditt.")},
    )
    password1 = forms.CharField(
        label=_("Velg passord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst 10 tegn. Unngå vanlige passord og passord som ligner navnet eller e-posten din."),
        error_messages={"required": _("Velg et passord.")},
    )
    password2 = forms.CharField(
        label=_("Gjenta passordet"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Skriv passordet en gang til.")},
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Passordene er ikke like."))
        elif p1:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
