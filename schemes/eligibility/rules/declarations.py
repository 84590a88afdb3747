"""A declaration the applicant must confirm, e.g. that the project is anchored with top management."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from ..base import RuleResult, RuleType, Status, register
from ..facts import Facts
from ..text import Explanation, LocalizedText

UNKNOWN = _("Søkeren må bekrefte: «%(statement)s»")
PASSES = _("Søkeren har bekreftet: «%(statement)s»")
FAILS = _("Søkeren har ikke bekreftet: «%(statement)s» Ordningen krever det.")


@dataclass(frozen=True, slots=True)
class DeclarationParams:
    key: str  # what ``Facts.confirmed_declarations`` holds once the applicant confirms
    statement_nb: str
    statement_nn: str = ""
    statement_en: str = ""

    @property
    def statement(self) -> LocalizedText:
        return LocalizedText(self.statement_nb, self.statement_nn, self.statement_en)


class DeclarationForm(forms.Form):
    key = forms.SlugField(
        label=_("Nøkkel"), max_length=50,
        help_text=_("Kort, fast navn på erklæringen, for eksempel «forankret-i-toppledelsen». Endres ikke senere."),
    )  # fmt: skip
    statement_nb = forms.CharField(label=_("Erklæringen på bokmål"), max_length=500)
    statement_nn = forms.CharField(label=_("Erklæringen på nynorsk"), max_length=500, required=False)
    statement_en = forms.CharField(label=_("Erklæringen på engelsk"), max_length=500, required=False)


@register
class Declaration(RuleType[DeclarationParams]):
    """Passes once the key is among the confirmed declarations; fails if the applicant has answered
    the declarations (a known set) without confirming this one; unknown until then."""

    key = "declaration"
    label = _("Søkeren bekrefter en erklæring")
    params_class = DeclarationParams
    form_class = DeclarationForm
    facts_used = frozenset({"confirmed_declarations"})

    def describe(self, params: DeclarationParams) -> Explanation:
        return Explanation(UNKNOWN, {"statement": params.statement})  # «Søkeren må bekrefte: …»

    def identity(self, params: DeclarationParams) -> str:
        return f"{self.key}:{params.key}"

    def evaluate(self, params: DeclarationParams, facts: Facts) -> RuleResult:
        values = {"statement": params.statement}
        confirmed = facts.confirmed_declarations
        if confirmed is None:
            return RuleResult(Status.UNKNOWN, Explanation(UNKNOWN, values))
        if params.key in confirmed:
            return RuleResult(Status.PASSES, Explanation(PASSES, values))
        return RuleResult(Status.FAILS, Explanation(FAILS, values))
