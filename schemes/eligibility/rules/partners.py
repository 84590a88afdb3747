"""Rules about the project's partners: how many are public, whether a research organisation or a
company takes part. Partners whose kind is not known yet count as «maybe»."""

from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from organisations.models import PUBLIC_KINDS, OrganisationKind

from ..base import RuleResult, RuleType, Status, register
from ..facts import Facts, PartnerFacts
from ..text import Explanation
from ._fields import NoParams, NoParamsForm, count_field

PUBLIC_DESCRIBED = ngettext_lazy(
    "Prosjektet må ha minst %(minimum)s offentlig partner i tillegg til søkeren.",
    "Prosjektet må ha minst %(minimum)s offentlige partnere i tillegg til søkeren.",
    "n",
)
PUBLIC_UNKNOWN = _(
    "Vi vet ikke ennå hvor mange offentlige partnere prosjektet har. Ordningen krever minst %(minimum)s."
)
PUBLIC_PARTLY_UNKNOWN = ngettext_lazy(
    "Ordningen krever minst %(minimum)s offentlig partner. %(count)s er bekreftet, og vi vet ikke ennå "
    "hva slags virksomhet %(unknown)s av partnerne er.",
    "Ordningen krever minst %(minimum)s offentlige partnere. %(count)s er bekreftet, og vi vet ikke ennå "
    "hva slags virksomhet %(unknown)s av partnerne er.",
    "n",
)
PUBLIC_PASSES = ngettext_lazy(
    "Prosjektet har %(count)s offentlig partner, og ordningen krever minst %(minimum)s.",
    "Prosjektet har %(count)s offentlige partnere, og ordningen krever minst %(minimum)s.",
    "n",
)
PUBLIC_FAILS = ngettext_lazy(
    "Prosjektet har %(count)s offentlig partner, men ordningen krever minst %(minimum)s.",
    "Prosjektet har %(count)s offentlige partnere, men ordningen krever minst %(minimum)s.",
    "n",
)


def count_partners(partners: tuple[PartnerFacts, ...], kinds: Collection[OrganisationKind]) -> tuple[int, int, int]:
    """(partners known to be of one of ``kinds``, partners whose kind is not known yet, partners of
    one of ``kinds`` the project may or may not have). A possible partner is never counted as one
    the project has: a rule decides from what is known, and waits only for what could change it."""
    matching = unknown = possible = 0
    for partner in partners:
        if partner.maybe:
            possible += partner.kind is None or partner.kind in kinds
        elif partner.kind is None:
            unknown += 1
        elif partner.kind in kinds:
            matching += 1
    return matching, unknown, possible


@dataclass(frozen=True, slots=True)
class MinimumPartnersParams:
    minimum: int


class MinimumPublicPartnersForm(forms.Form):
    minimum = count_field(label=_("Minste antall offentlige partnere"), help_text=_("Søkeren selv regnes ikke med."))


@register
class MinimumPublicPartners(RuleType[MinimumPartnersParams]):
    """Counts partners only, not the applicant; inclusive: exactly the minimum passes."""

    key = "min-public-partners"
    label = _("Prosjektet har minst et visst antall offentlige partnere")
    params_class = MinimumPartnersParams
    form_class = MinimumPublicPartnersForm
    facts_used = frozenset({"partners"})

    def describe(self, params: MinimumPartnersParams) -> Explanation:
        return Explanation(PUBLIC_DESCRIBED, {"minimum": params.minimum}, params.minimum)

    def evaluate(self, params: MinimumPartnersParams, facts: Facts) -> RuleResult:
        if facts.partners is None:
            return RuleResult(Status.UNKNOWN, Explanation(PUBLIC_UNKNOWN, {"minimum": params.minimum}))
        public, unknown, possible = count_partners(facts.partners, PUBLIC_KINDS)
        values = {"minimum": params.minimum, "count": public, "unknown": unknown}
        if public >= params.minimum:
            return RuleResult(Status.PASSES, Explanation(PUBLIC_PASSES, values, public))
        if public + unknown + possible < params.minimum:
            return RuleResult(Status.FAILS, Explanation(PUBLIC_FAILS, values, public))
        if not unknown:  # only partners that may not exist could still make up the number
            return RuleResult(Status.UNKNOWN, Explanation(PUBLIC_UNKNOWN, {"minimum": params.minimum}))
        return RuleResult(Status.UNKNOWN, Explanation(PUBLIC_PARTLY_UNKNOWN, values, params.minimum))


class PartnerOfKindRequired(RuleType[NoParams]):
    """At least one partner of ``kind``; the applicant itself does not count."""

    kind: ClassVar[OrganisationKind]
    params_class = NoParams
    form_class = NoParamsForm
    facts_used = frozenset({"partners"})
    unknown_message: ClassVar[Promise]
    partly_unknown_message: ClassVar[Promise]
    passes_message: ClassVar[Promise]
    fails_message: ClassVar[Promise]
    described_message: ClassVar[Promise]

    def describe(self, params: NoParams) -> Explanation:
        return Explanation(self.described_message)

    def evaluate(self, params: NoParams, facts: Facts) -> RuleResult:
        if facts.partners is None:
            return RuleResult(Status.UNKNOWN, Explanation(self.unknown_message))
        matching, unknown, possible = count_partners(facts.partners, (self.kind,))
        if matching:
            return RuleResult(Status.PASSES, Explanation(self.passes_message))
        if unknown:
            return RuleResult(Status.UNKNOWN, Explanation(self.partly_unknown_message, {"unknown": unknown}))
        if possible:  # «vet ikke»: whether there is one is not known, and there is no other partner to speak of
            return RuleResult(Status.UNKNOWN, Explanation(self.unknown_message))
        return RuleResult(Status.FAILS, Explanation(self.fails_message))


@register
class ResearchPartnerRequired(PartnerOfKindRequired):
    key = "research-partner"
    label = _("Prosjektet har en forskningsorganisasjon som partner")
    kind = OrganisationKind.RESEARCH
    unknown_message = _(
        "Vi vet ikke ennå om prosjektet har en forskningsorganisasjon som partner, som ordningen krever."
    )
    partly_unknown_message = _(
        "Ordningen krever en forskningsorganisasjon som partner. Ingen av partnerne vi kjenner er det, "
        "og vi vet ikke ennå hva slags virksomhet %(unknown)s av partnerne er."
    )
    passes_message = _("Prosjektet har en forskningsorganisasjon som partner, som ordningen krever.")
    fails_message = _("Ordningen krever en forskningsorganisasjon som partner, og prosjektet har ingen.")
    described_message = _("Prosjektet må ha en forskningsorganisasjon som partner.")


@register
class CompanyPartnerRequired(PartnerOfKindRequired):
    key = "company-partner"
    label = _("Prosjektet har en bedrift som partner")
    kind = OrganisationKind.COMPANY
    unknown_message = _("Vi vet ikke ennå om prosjektet har en bedrift som partner, som ordningen krever.")
    partly_unknown_message = _(
        "Ordningen krever en bedrift som partner. Ingen av partnerne vi kjenner er det, "
        "og vi vet ikke ennå hva slags virksomhet %(unknown)s av partnerne er."
    )
    passes_message = _("Prosjektet har en bedrift som partner, som ordningen krever.")
    fails_message = _("Ordningen krever en bedrift som partner, og prosjektet har ingen.")
    described_message = _("Prosjektet må ha en bedrift som partner.")
