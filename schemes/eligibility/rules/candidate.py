"""Rules about a ph.d. candidate (Offentlig sektor-ph.d.): permanently employed, no doctorate yet.

Two rule types rather than one with two switches, so each result reads as one whole sentence.
"""

from django.utils.translation import gettext_lazy as _

from ..base import RuleResult, RuleType, Status, register
from ..facts import Facts
from ..text import Explanation
from ._fields import NoParams, NoParamsForm

EMPLOYED_DESCRIBED = Explanation(_("Kandidaten må være fast ansatt hos søkeren."))
DOCTORATE_DESCRIBED = Explanation(_("Kandidaten kan ikke ha doktorgrad fra før."))
EMPLOYED_UNKNOWN = Explanation(_("Vi vet ikke ennå om kandidaten er fast ansatt hos søkeren, som ordningen krever."))
EMPLOYED_PASSES = Explanation(_("Kandidaten er fast ansatt hos søkeren, som ordningen krever."))
EMPLOYED_FAILS = Explanation(_("Kandidaten er ikke fast ansatt hos søkeren, men ordningen krever det."))
DOCTORATE_UNKNOWN = Explanation(
    _("Vi vet ikke ennå om kandidaten har doktorgrad fra før. Ordningen er for kandidater uten doktorgrad.")
)
DOCTORATE_PASSES = Explanation(
    _("Kandidaten har ikke doktorgrad fra før, og ordningen er for kandidater uten doktorgrad.")
)
DOCTORATE_FAILS = Explanation(
    _("Kandidaten har allerede doktorgrad, men ordningen er bare for kandidater uten doktorgrad.")
)


@register
class CandidatePermanentlyEmployed(RuleType[NoParams]):
    key = "candidate-permanently-employed"
    label = _("Kandidaten er fast ansatt hos søkeren")
    params_class = NoParams
    form_class = NoParamsForm
    facts_used = frozenset({"candidate_permanently_employed"})

    def describe(self, params: NoParams) -> Explanation:
        return EMPLOYED_DESCRIBED

    def evaluate(self, params: NoParams, facts: Facts) -> RuleResult:
        employed = facts.candidate_permanently_employed
        if employed is None:
            return RuleResult(Status.UNKNOWN, EMPLOYED_UNKNOWN)
        return RuleResult(Status.PASSES, EMPLOYED_PASSES) if employed else RuleResult(Status.FAILS, EMPLOYED_FAILS)


@register
class CandidateWithoutDoctorate(RuleType[NoParams]):
    key = "candidate-without-doctorate"
    label = _("Kandidaten har ikke doktorgrad fra før")
    params_class = NoParams
    form_class = NoParamsForm
    facts_used = frozenset({"candidate_has_doctorate"})

    def describe(self, params: NoParams) -> Explanation:
        return DOCTORATE_DESCRIBED

    def evaluate(self, params: NoParams, facts: Facts) -> RuleResult:
        has_doctorate = facts.candidate_has_doctorate
        if has_doctorate is None:
            return RuleResult(Status.UNKNOWN, DOCTORATE_UNKNOWN)
        if has_doctorate:
            return RuleResult(Status.FAILS, DOCTORATE_FAILS)
        return RuleResult(Status.PASSES, DOCTORATE_PASSES)
