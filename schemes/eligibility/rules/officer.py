"""A requirement only a person can judge: the officer decides it in the formal check.

The engine always answers «unknown»; submission does not stop on it but gives the officer an item in
the formal check with the statement, to tick as judged.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from ..base import RuleResult, RuleType, Status, register
from ..facts import Facts
from ..text import Explanation, LocalizedText

JUDGED = _("%(statement)s (Saksbehandler vurderer dette i den formelle kontrollen.)")


@dataclass(frozen=True, slots=True)
class OfficerJudgementParams:
    statement_nb: str
    statement_nn: str = ""
    statement_en: str = ""

    @property
    def statement(self) -> LocalizedText:
        return LocalizedText(self.statement_nb, self.statement_nn, self.statement_en)


class OfficerJudgementForm(forms.Form):
    statement_nb = forms.CharField(
        label=_("Kravet på bokmål"), max_length=500,
        help_text=_(
            "Det saksbehandleren skal vurdere, for eksempel «Prosjektet er relevant for arbeidsgiverens ansvar»."
        ),
    )  # fmt: skip
    statement_nn = forms.CharField(label=_("Kravet på nynorsk"), max_length=500, required=False)
    statement_en = forms.CharField(label=_("Kravet på engelsk"), max_length=500, required=False)


@register
class OfficerJudgement(RuleType[OfficerJudgementParams]):
    """Always unknown to the engine: a person decides it. Several may exist side by side (the
    identity includes the statement)."""

    key = "officer-judgement"
    label = _("Saksbehandler vurderer")
    params_class = OfficerJudgementParams
    form_class = OfficerJudgementForm
    facts_used = frozenset()
    decided_by_officer = True

    def describe(self, params: OfficerJudgementParams) -> Explanation:
        return Explanation("%(statement)s", {"statement": params.statement})

    def identity(self, params: OfficerJudgementParams) -> str:
        return f"{self.key}:{params.statement_nb}"

    def evaluate(self, params: OfficerJudgementParams, facts: Facts) -> RuleResult:
        return RuleResult(Status.UNKNOWN, Explanation(JUDGED, {"statement": params.statement}))
