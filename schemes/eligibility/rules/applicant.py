"""Rules about the applicant organisation: what kind it is, how publicly funded it is."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import OrganisationKind

from ..base import RuleResult, RuleType, Status, register
from ..facts import Facts
from ..text import Explanation
from ._fields import percent_field

# Messages are built once: evaluating only pairs them with values.
KIND_UNKNOWN = _("Vi vet ikke ennå hva slags virksomhet søkeren er. Ordningen er åpen for %(allowed)s.")
KIND_PASSES = _("Søker er %(kind)s, og ordningen er åpen for %(allowed)s.")
KIND_FAILS = _("Søker er %(kind)s, men ordningen er bare åpen for %(allowed)s.")
KIND_DESCRIBED = _("Ordningen er åpen for %(allowed)s.")
SHARE_DESCRIBED = _("Søkeren må være minst %(minimum)s %% offentlig finansiert.")
SHARE_UNKNOWN = _(
    "Vi vet ikke ennå hvor stor del av søkerens virksomhet som er offentlig finansiert. "
    "Ordningen krever minst %(minimum)s %%."
)
SHARE_PASSES = _("Søker er %(share)s %% offentlig finansiert, og ordningen krever minst %(minimum)s %%.")
SHARE_FAILS = _("Søker må være minst %(minimum)s %% offentlig finansiert, oppgitt %(share)s %%.")


@dataclass(frozen=True, slots=True)
class ApplicantKindParams:
    kinds: frozenset[OrganisationKind]


class ApplicantKindForm(forms.Form):
    kinds = forms.TypedMultipleChoiceField(
        label=_("Hvem kan søke"), choices=OrganisationKind.choices, coerce=OrganisationKind,
        widget=forms.CheckboxSelectMultiple, error_messages={"required": _("Velg minst én type virksomhet.")},
    )  # fmt: skip

    def clean_kinds(self) -> frozenset[OrganisationKind]:
        return frozenset(self.cleaned_data["kinds"])


@register
class ApplicantKindIn(RuleType[ApplicantKindParams]):
    key = "applicant-kind"
    label = _("Søker er en bestemt type virksomhet")
    params_class = ApplicantKindParams
    form_class = ApplicantKindForm
    facts_used = frozenset({"applicant_kind"})

    def describe(self, params: ApplicantKindParams) -> Explanation:
        return Explanation(KIND_DESCRIBED, {"allowed": params.kinds})

    def evaluate(self, params: ApplicantKindParams, facts: Facts) -> RuleResult:
        kind = facts.applicant_kind
        if kind is None:
            return RuleResult(Status.UNKNOWN, Explanation(KIND_UNKNOWN, {"allowed": params.kinds}))
        values = {"kind": kind, "allowed": params.kinds}
        if kind in params.kinds:
            return RuleResult(Status.PASSES, Explanation(KIND_PASSES, values))
        return RuleResult(Status.FAILS, Explanation(KIND_FAILS, values))


@dataclass(frozen=True, slots=True)
class MinimumShareParams:
    minimum: Decimal


class PublicFundingShareForm(forms.Form):
    minimum = percent_field(
        label=_("Søkerens offentlig finansierte andel må være minst (%)"),
        help_text=_("Grensen er med: 80 betyr at nøyaktig 80 prosent er nok."),
    )


@register
class ApplicantPublicFundingShare(RuleType[MinimumShareParams]):
    """Inclusive: a share exactly at the minimum passes."""

    key = "applicant-public-funding-share"
    label = _("Søker er offentlig finansiert med minst en viss andel")
    params_class = MinimumShareParams
    form_class = PublicFundingShareForm
    facts_used = frozenset({"applicant_public_funding_share"})

    def describe(self, params: MinimumShareParams) -> Explanation:
        return Explanation(SHARE_DESCRIBED, {"minimum": params.minimum})

    def evaluate(self, params: MinimumShareParams, facts: Facts) -> RuleResult:
        share = facts.applicant_public_funding_share
        if share is None:
            return RuleResult(Status.UNKNOWN, Explanation(SHARE_UNKNOWN, {"minimum": params.minimum}))
        values = {"minimum": params.minimum, "share": share}
        if share >= params.minimum:
            return RuleResult(Status.PASSES, Explanation(SHARE_PASSES, values))
        return RuleResult(Status.FAILS, Explanation(SHARE_FAILS, values))
