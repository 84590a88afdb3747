"""Rules about money: the share the applicant pays itself, and the amount applied for."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..base import RuleResult, RuleType, Status, register
from ..facts import Facts
from ..text import Explanation
from ._fields import percent_field
from .applicant import MinimumShareParams

OWN_DESCRIBED = _("Egenfinansieringen må være minst %(minimum)s %%.")
AMOUNT_DESCRIBED = {
    "both": _("Beløpet det søkes om må være mellom %(minimum)s kr og %(maximum)s kr."),
    "minimum": _("Beløpet det søkes om må være minst %(minimum)s kr."),
    "maximum": _("Beløpet det søkes om kan være høyst %(maximum)s kr."),
}
OWN_UNKNOWN = _("Vi vet ikke ennå hvor stor egenfinansieringen er. Den må være minst %(minimum)s %%.")
OWN_PASSES = _("Egenfinansieringen er %(share)s %%, og den må være minst %(minimum)s %%.")
OWN_FAILS = _("Egenfinansiering må være minst %(minimum)s %%, oppgitt %(share)s %%.")

AMOUNT_UNKNOWN = {
    "both": _("Vi vet ikke ennå hvor mye det søkes om. Beløpet må være mellom %(minimum)s kr og %(maximum)s kr."),
    "minimum": _("Vi vet ikke ennå hvor mye det søkes om. Beløpet må være minst %(minimum)s kr."),
    "maximum": _("Vi vet ikke ennå hvor mye det søkes om. Beløpet kan være høyst %(maximum)s kr."),
}
AMOUNT_PASSES = {
    "both": _("Det søkes om %(amount)s kr, og beløpet må være mellom %(minimum)s kr og %(maximum)s kr."),
    "minimum": _("Det søkes om %(amount)s kr, og beløpet må være minst %(minimum)s kr."),
    "maximum": _("Det søkes om %(amount)s kr, og beløpet kan være høyst %(maximum)s kr."),
}
AMOUNT_TOO_LOW = _("Det må søkes om minst %(minimum)s kr, oppgitt %(amount)s kr.")
AMOUNT_TOO_HIGH = _("Det kan søkes om høyst %(maximum)s kr, oppgitt %(amount)s kr.")


class OwnFundingShareForm(forms.Form):
    minimum = percent_field(
        label=_("Egenfinansiering må være minst (%)"),
        help_text=_("Grensen er med: 50 betyr at nøyaktig 50 prosent er nok."),
    )


@register
class OwnFundingShare(RuleType[MinimumShareParams]):
    """The applicant's own share of the project's costs; inclusive: exactly the minimum passes."""

    key = "own-funding-share"
    label = _("Egenfinansiering er minst en viss andel")
    params_class = MinimumShareParams
    form_class = OwnFundingShareForm
    facts_used = frozenset({"own_funding_share"})

    def describe(self, params: MinimumShareParams) -> Explanation:
        return Explanation(OWN_DESCRIBED, {"minimum": params.minimum})

    def evaluate(self, params: MinimumShareParams, facts: Facts) -> RuleResult:
        share = facts.own_funding_share
        if share is None:
            return RuleResult(Status.UNKNOWN, Explanation(OWN_UNKNOWN, {"minimum": params.minimum}))
        values = {"minimum": params.minimum, "share": share}
        if share >= params.minimum:
            return RuleResult(Status.PASSES, Explanation(OWN_PASSES, values))
        return RuleResult(Status.FAILS, Explanation(OWN_FAILS, values))


@dataclass(frozen=True, slots=True)
class AmountLimitsParams:
    minimum: Decimal | None
    maximum: Decimal | None

    def __post_init__(self) -> None:
        if self.minimum is None and self.maximum is None:
            raise ValueError("An amount rule needs a minimum, a maximum or both.")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"Minimum {self.minimum} is above maximum {self.maximum}.")

    @property
    def bounds(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return "both"
        return "minimum" if self.minimum is not None else "maximum"


class AmountLimitsForm(forms.Form):
    minimum = forms.DecimalField(
        label=_("Minste beløp (kr)"), required=False, min_value=0, max_digits=14, decimal_places=2, localize=True
    )
    maximum = forms.DecimalField(
        label=_("Største beløp (kr)"), required=False, min_value=0, max_digits=14, decimal_places=2, localize=True,
        help_text=_("Begge grensene er med: det går an å søke om nøyaktig største eller minste beløp."),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        minimum, maximum = cleaned.get("minimum"), cleaned.get("maximum")
        if minimum is None and maximum is None and not self.errors:
            raise forms.ValidationError(_("Oppgi minste beløp, største beløp eller begge."), code="no_limits")
        if minimum is not None and maximum is not None and minimum > maximum:
            self.add_error("maximum", _("Største beløp kan ikke være mindre enn minste beløp."))
        return cleaned


@register
class RequestedAmountWithin(RuleType[AmountLimitsParams]):
    """Both limits inclusive: exactly the minimum or exactly the maximum passes."""

    key = "requested-amount"
    label = _("Beløpet det søkes om er innenfor grensene")
    params_class = AmountLimitsParams
    form_class = AmountLimitsForm
    facts_used = frozenset({"requested_amount"})

    def describe(self, params: AmountLimitsParams) -> Explanation:
        return Explanation(AMOUNT_DESCRIBED[params.bounds], {"minimum": params.minimum, "maximum": params.maximum})

    def evaluate(self, params: AmountLimitsParams, facts: Facts) -> RuleResult:
        amount = facts.requested_amount
        values = {"minimum": params.minimum, "maximum": params.maximum, "amount": amount}
        if amount is None:
            return RuleResult(Status.UNKNOWN, Explanation(AMOUNT_UNKNOWN[params.bounds], values))
        if params.minimum is not None and amount < params.minimum:
            return RuleResult(Status.FAILS, Explanation(AMOUNT_TOO_LOW, values))
        if params.maximum is not None and amount > params.maximum:
            return RuleResult(Status.FAILS, Explanation(AMOUNT_TOO_HIGH, values))
        return RuleResult(Status.PASSES, Explanation(AMOUNT_PASSES[params.bounds], values))


SUPPORT_DESCRIBED = _("Støtten kan være høyst %(maximum)s %% av prosjektets kostnader.")
SUPPORT_UNKNOWN = _(
    "Vi vet ikke ennå hvor stor del av prosjektets kostnader det søkes om. Støtten kan være høyst %(maximum)s %%."
)
SUPPORT_PASSES = _("Det søkes om %(share)s %% av prosjektets kostnader, og støtten kan være høyst %(maximum)s %%.")
SUPPORT_FAILS = _("Støtten kan være høyst %(maximum)s %% av prosjektets kostnader, oppgitt %(share)s %%.")


@dataclass(frozen=True, slots=True)
class MaximumShareParams:
    maximum: Decimal


class MaximumSupportShareForm(forms.Form):
    maximum = percent_field(
        label=_("Støtten kan være høyst (% av kostnadene)"),
        help_text=_("Grensen er med: 50 betyr at nøyaktig 50 prosent er innenfor."),
    )


@register
class MaximumSupportShare(RuleType[MaximumShareParams]):
    """The amount applied for as a share of the project's total costs; inclusive: exactly the maximum passes."""

    key = "max-support-share"
    label = _("Støtten er høyst en viss andel av kostnadene")
    params_class = MaximumShareParams
    form_class = MaximumSupportShareForm
    facts_used = frozenset({"support_share"})

    def describe(self, params: MaximumShareParams) -> Explanation:
        return Explanation(SUPPORT_DESCRIBED, {"maximum": params.maximum})

    def evaluate(self, params: MaximumShareParams, facts: Facts) -> RuleResult:
        share = facts.support_share
        if share is None:
            return RuleResult(Status.UNKNOWN, Explanation(SUPPORT_UNKNOWN, {"maximum": params.maximum}))
        values = {"maximum": params.maximum, "share": share}
        if share <= params.maximum:
            return RuleResult(Status.PASSES, Explanation(SUPPORT_PASSES, values))
        return RuleResult(Status.FAILS, Explanation(SUPPORT_FAILS, values))
