"""Forms of the public scheme pages: the eligibility check (/sjekk/).

Every question of the check is optional: a blank answer is an unknown fact, and the rules that
need it answer «unknown» (the scheme then needs more information) instead of guessing. Numbers are
read as people write them in Norway: «1 250 000», «1 250 000 kr», «87,5 %».
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from organisations.models import OrganisationKind
from portal.forms import DesignsystemetMixin, NorwegianNumberField

from .check import partners_from_answers
from .eligibility import Facts, LocalizedText


class NumberField(NorwegianNumberField):
    """A number of the check (``portal.numbers`` reads it): blank is ``None``, the bounds and their
    messages are given per field, and ``suffixes`` are the field's own unit words («36 mnd»; «kr»
    and «%» are read anyway). A whole count is an ``int``, anything else a Decimal."""

    def __init__(
        self,
        *,
        minimum: Decimal,
        maximum: Decimal,
        messages: dict[str, Promise],
        whole: bool = False,
        integer: bool = False,
        suffixes: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        self.suffixes, self.integer = suffixes, integer
        kwargs.setdefault("required", False)
        super().__init__(
            min_value=minimum, max_value=maximum, whole=whole or integer, error_messages=messages, **kwargs
        )

    def to_python(self, value: Any) -> Decimal | int | None:
        text = str(value or "").strip().lower()
        for suffix in self.suffixes:
            text = text.removesuffix(suffix)
        number = super().to_python(text)
        return int(number) if number is not None and self.integer else number


def percent_field(*, label: Promise, help_text: Promise) -> NumberField:
    return NumberField(
        label=label, help_text=help_text, minimum=Decimal(0), maximum=Decimal(100), suffixes=("prosent",),
        messages={
            "invalid": _("Skriv prosenten som et tall, for eksempel 80 eller 87,5."),
            "negative": _("Prosenten kan ikke være negativ."),
            "min_value": _("Prosenten kan ikke være negativ."),
            "max_value": _("Prosenten kan ikke være mer enn 100."),
        },
    )  # fmt: skip


def count_field(*, label: Promise, help_text: Promise, maximum: int = 1000) -> NumberField:
    return NumberField(
        label=label, help_text=help_text, minimum=Decimal(0), maximum=Decimal(maximum), integer=True,
        messages={
            "invalid": _("Skriv antallet som et helt tall, for eksempel 0, 1 eller 2."),
            "negative": _("Antallet kan ikke være negativt."),
            "whole": _("Skriv antallet som et helt tall, for eksempel 0, 1 eller 2."),
            "min_value": _("Antallet kan ikke være negativt."),
            "max_value": _("Antallet er urimelig høyt. Sjekk at det er riktig."),
        },
    )  # fmt: skip


YES, NO, UNKNOWN = "ja", "nei", ""


def yes_no_field(*, label: Promise, help_text: Promise = "") -> forms.TypedChoiceField:
    """Ja / Nei / Vet ikke as radio buttons; «Vet ikke» (blank) is the unknown fact."""
    return forms.TypedChoiceField(
        label=label, help_text=help_text, required=False, widget=forms.RadioSelect, initial=UNKNOWN,
        choices=[(YES, _("Ja")), (NO, _("Nei")), (UNKNOWN, _("Vet ikke"))],
        coerce=lambda value: value == YES, empty_value=None,
        error_messages={"invalid_choice": _("Velg ja, nei eller vet ikke.")},
    )  # fmt: skip


# A declaration's statement, as text in the language active when the form is rendered (a
# LocalizedText is a tuple, which a choice label must not be: Django would read it as a group).
_in_active_language = lazy(str, str)


class DeclarationsField(forms.MultipleChoiceField):
    """The declarations the schemes' rules ask for, as checkboxes. A key no rule asks for any more
    (an old shared link) is left out silently rather than refused."""

    widget = forms.CheckboxSelectMultiple

    def validate(self, value: list[str]) -> None:
        pass

    def clean(self, value: Any) -> list[str]:
        known = {str(key) for key, _label in self.choices}
        return [key for key in super().clean(value) if key in known]


class EligibilityCheckForm(DesignsystemetMixin, forms.Form):
    """The check's questions: only the facts the rule types read (``RuleType.facts_used``), in
    plain language. Field names are Norwegian because they end up in the shareable address."""

    virksomhet = forms.TypedChoiceField(
        label=_("Hva slags virksomhet søker?"), required=False,
        choices=[("", _("Ikke oppgitt")), *OrganisationKind.choices], coerce=OrganisationKind, empty_value=None,
        error_messages={"invalid_choice": _("Velg en type virksomhet fra listen.")},
    )  # fmt: skip
    offentlig_andel = percent_field(
        label=_("Hvor stor del av virksomheten er offentlig finansiert (prosent)?"),
        help_text=_("For en kommune eller en statlig virksomhet er det vanligvis 100."),
    )
    egenfinansiering = percent_field(
        label=_("Hvor stor del av prosjektets kostnader betaler dere selv (prosent)?"),
        help_text=_("Egenfinansiering, for eksempel 50."),
    )
    belop = NumberField(
        label=_("Hvor mye vil dere søke om (kroner)?"), help_text=_("For eksempel 1 250 000."),
        minimum=Decimal(0), maximum=Decimal(1_000_000_000), whole=True,
        messages={
            "invalid": _("Skriv beløpet i kroner som et tall, for eksempel 1 250 000."),
            "whole": _("Skriv beløpet i hele kroner, for eksempel 1 250 000."),
            "negative": _("Beløpet kan ikke være negativt."),
            "min_value": _("Beløpet kan ikke være negativt."),
            "max_value": _("Beløpet er urimelig høyt (over 1 milliard kroner). Skriv beløpet i kroner, "
                           "for eksempel 1 250 000."),
        },
    )  # fmt: skip
    varighet = NumberField(
        label=_("Hvor mange måneder skal prosjektet vare?"), help_text=_("For eksempel 36 for tre år."),
        minimum=Decimal(1), maximum=Decimal(240), integer=True, suffixes=("måneder", "måned", "mnd.", "mnd"),
        messages={
            "invalid": _("Skriv varigheten som et helt antall måneder, for eksempel 36."),
            "negative": _("Varigheten kan ikke være negativ."),
            "whole": _("Skriv varigheten som et helt antall måneder, for eksempel 36."),
            "min_value": _("Prosjektet må vare i minst én måned."),
            "max_value": _("Varigheten er urimelig lang (over 20 år). Skriv den i måneder, for eksempel 36."),
        },
    )  # fmt: skip
    offentlige_partnere = count_field(
        label=_("Hvor mange offentlige partnere har prosjektet?"),
        help_text=_(
            "Kommuner, fylkeskommuner, statlige virksomheter, helseforetak og andre offentlige virksomheter, "
            "utenom søkeren selv. Skriv 0 hvis det ikke er noen. Uten dette tallet regner vi partnerne som ukjente."
        ),
    )
    stotteandel = percent_field(
        label=_("Hvor stor del av prosjektets kostnader søker dere om støtte til (prosent)?"),
        help_text=_("For eksempel 50."),
    )
    forprosjekt_gjennomfort = yes_no_field(label=_("Søker dere om et hovedprosjekt etter et gjennomført forprosjekt?"))
    forskningspartner = yes_no_field(label=_("Er en forskningsorganisasjon partner i prosjektet?"))
    bedriftspartner = yes_no_field(label=_("Er en bedrift partner i prosjektet?"))
    kandidat_fast_ansatt = yes_no_field(label=_("Er kandidaten fast ansatt i virksomheten?"))
    kandidat_doktorgrad = yes_no_field(label=_("Har kandidaten doktorgrad fra før?"))
    soknader_i_aar = count_field(
        label=_("Hvor mange søknader har virksomheten allerede sendt til ordningen i år?"),
        help_text=_("Ikke medregnet den dere vurderer nå. Noen ordninger tar imot bare et visst antall per år."),
    )
    soknader_utlysning = count_field(
        label=_("Hvor mange søknader har virksomheten allerede sendt til denne utlysningen?"),
        help_text=_("Ikke medregnet den dere vurderer nå."),
    )
    erklaeringer = DeclarationsField(
        label=_("Erklæringer"), required=False,
        help_text=_(
            "Kryss av for det som stemmer. Krysser du ikke av for noe, regner vi erklæringene som ubesvart. "
            "Krysser du av for noen, regner vi de andre som ikke bekreftet."
        ),
    )  # fmt: skip

    def __init__(
        self, *args: Any, declarations: dict[str, LocalizedText], for_one_call: bool, counts_known: bool = False,
        **kwargs: Any,
    ):  # fmt: skip
        super().__init__(*args, **kwargs)
        if counts_known:
            # A logged-in person's organisation: the portal counts its applications itself.
            del self.fields["soknader_i_aar"]
            self.fields.pop("soknader_utlysning", None)
        self.fields["erklaeringer"].choices = [(key, _in_active_language(text)) for key, text in declarations.items()]
        if not declarations:
            del self.fields["erklaeringer"]
        if not for_one_call:
            # «This call» means nothing when every scheme is checked at once; the fact stays unknown.
            self.fields.pop("soknader_utlysning", None)

    @classmethod
    def is_submitted(cls, data) -> bool:
        """Whether the person sent the form (a blank form sends every text field, empty)."""
        return any(name in data for name in cls.base_fields)

    def facts(self) -> Facts:
        """The answers as eligibility facts (call only when the form is valid)."""
        data = self.cleaned_data
        declarations = data.get("erklaeringer") or []
        return Facts(
            applicant_kind=data["virksomhet"],
            applicant_public_funding_share=data["offentlig_andel"],
            partners=partners_from_answers(
                public_partners=data["offentlige_partnere"],
                research_partner=data["forskningspartner"],
                company_partner=data["bedriftspartner"],
            ),
            own_funding_share=data["egenfinansiering"],
            requested_amount=data["belop"],
            duration_months=data["varighet"],
            candidate_permanently_employed=data["kandidat_fast_ansatt"],
            candidate_has_doctorate=data["kandidat_doktorgrad"],
            applications_this_call=data.get("soknader_utlysning"),
            applications_this_year=data.get("soknader_i_aar"),
            support_share=data["stotteandel"],
            previous_stage_completed=data["forprosjekt_gjennomfort"],
            # None checked: not answered (unknown). Some checked: the others are not confirmed.
            confirmed_declarations=frozenset(declarations) if declarations else None,
        )

    @property
    def organisation_fields(self) -> list[forms.BoundField]:
        return [self["virksomhet"], self["offentlig_andel"]]

    @property
    def project_fields(self) -> list[forms.BoundField]:
        names = ["egenfinansiering", "stotteandel", "belop", "varighet", "forprosjekt_gjennomfort", "soknader_i_aar",
                 "soknader_utlysning"]  # fmt: skip
        return [self[name] for name in names if name in self.fields]

    @property
    def partner_fields(self) -> list[forms.BoundField]:
        return [self["offentlige_partnere"], self["forskningspartner"], self["bedriftspartner"]]

    @property
    def candidate_fields(self) -> list[forms.BoundField]:
        return [self["kandidat_fast_ansatt"], self["kandidat_doktorgrad"]]
