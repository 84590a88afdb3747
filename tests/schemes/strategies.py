"""Hypothesis strategies: any facts, refinements of facts (more known, nothing changed), any rules."""

from dataclasses import fields, replace
from typing import Any

from hypothesis import strategies as st

from organisations.models import OrganisationKind
from schemes.eligibility import Facts, LocalizedText, PartnerFacts, Rule, Severity, get_rule_type
from schemes.eligibility.rules._fields import NoParams
from schemes.eligibility.rules.applicant import ApplicantKindParams, MinimumShareParams
from schemes.eligibility.rules.declarations import DeclarationParams
from schemes.eligibility.rules.funding import AmountLimitsParams, MaximumShareParams
from schemes.eligibility.rules.officer import OfficerJudgementParams
from schemes.eligibility.rules.partners import MinimumPartnersParams
from schemes.eligibility.rules.project import MaximumApplicationsParams, MaximumMonthsParams, Period

DECLARATION_KEYS = ("forankret", "erklaering-b", "erklaering-c")

kinds = st.sampled_from(list(OrganisationKind))
shares = st.decimals(min_value=0, max_value=100, places=2)
amounts = st.decimals(min_value=0, max_value=50_000_000, places=2)
counts = st.integers(min_value=0, max_value=12)

FACT_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "applicant_kind": kinds,
    "applicant_public_funding_share": shares,
    "partners": st.lists(st.builds(PartnerFacts, kind=st.none() | kinds), max_size=6).map(tuple),
    "own_funding_share": shares,
    "requested_amount": amounts,
    "duration_months": st.integers(min_value=0, max_value=120),
    "candidate_permanently_employed": st.booleans(),
    "candidate_has_doctorate": st.booleans(),
    "applications_this_call": counts,
    "applications_this_year": counts,
    "confirmed_declarations": st.frozensets(st.sampled_from(DECLARATION_KEYS)),
    "support_share": shares,
    "previous_stage_completed": st.booleans(),
    "stage": st.sampled_from(["skisse", "hovedsoknad", "forprosjekt", "hovedprosjekt", "prekvalifisering"]),
}
assert set(FACT_VALUES) == {field.name for field in fields(Facts)}, "a new fact needs a strategy here"

facts = st.fixed_dictionaries({name: st.none() | values for name, values in FACT_VALUES.items()}).map(
    lambda known: Facts(**known)
)
complete_facts = st.fixed_dictionaries(
    {**FACT_VALUES, "partners": st.lists(st.builds(PartnerFacts, kind=kinds), max_size=6).map(tuple)}
).map(lambda known: Facts(**known))


@st.composite
def refinements(draw: st.DrawFn, base: Facts) -> Facts:
    """``base`` with some unknown facts filled in (partners of unknown kind included); nothing known changes."""
    changes: dict[str, Any] = {}
    for name, values in FACT_VALUES.items():
        current = getattr(base, name)
        if current is None and draw(st.booleans()):
            changes[name] = draw(values)
        elif name == "partners" and current is not None:
            changes[name] = tuple(
                replace(partner, kind=draw(kinds)) if partner.kind is None and draw(st.booleans()) else partner
                for partner in current
            )
    return base.with_(**changes)


@st.composite
def amount_limits(draw: st.DrawFn) -> AmountLimitsParams:
    low, high = sorted([draw(amounts), draw(amounts)])
    which = draw(st.sampled_from(["both", "minimum", "maximum"]))
    return AmountLimitsParams(minimum=None if which == "maximum" else low, maximum=None if which == "minimum" else high)


PARAMS: dict[str, st.SearchStrategy[Any]] = {
    "applicant-kind": st.frozensets(kinds, min_size=1).map(ApplicantKindParams),
    "applicant-public-funding-share": shares.map(MinimumShareParams),
    "own-funding-share": shares.map(MinimumShareParams),
    "min-public-partners": st.integers(min_value=1, max_value=5).map(MinimumPartnersParams),
    "research-partner": st.just(NoParams()),
    "company-partner": st.just(NoParams()),
    "requested-amount": amount_limits(),
    "max-duration-months": st.integers(min_value=1, max_value=60).map(MaximumMonthsParams),
    "candidate-permanently-employed": st.just(NoParams()),
    "candidate-without-doctorate": st.just(NoParams()),
    "max-applications": st.builds(
        MaximumApplicationsParams, maximum=st.integers(min_value=1, max_value=5), period=st.sampled_from(Period)
    ),
    "declaration": st.builds(
        DeclarationParams,
        key=st.sampled_from(DECLARATION_KEYS),
        statement_nb=st.just("Prosjektet er forankret i toppledelsen."),
        statement_nn=st.sampled_from(["", "Prosjektet er forankra i toppleiinga."]),
        statement_en=st.sampled_from(["", "The project is anchored with top management."]),
    ),
    "officer-judgement": st.builds(
        OfficerJudgementParams,
        statement_nb=st.sampled_from(["Prosjektet er relevant.", "Kandidaten er tatt opp."]),
        statement_nn=st.sampled_from(["", "Prosjektet er relevant."]),
        statement_en=st.sampled_from(["", "The project is relevant."]),
    ),
    "max-support-share": shares.map(MaximumShareParams),
    "previous-stage-completed": st.just(NoParams()),
}

severities = st.sampled_from(list(Severity))
notes = st.none() | st.just(LocalizedText("Kravet står i forskriften.", "", "It is in the regulation."))


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    key = draw(st.sampled_from(sorted(PARAMS)))
    return Rule(type=get_rule_type(key), params=draw(PARAMS[key]), note=draw(notes), severity=draw(severities))


rule_lists = st.lists(rules(), max_size=12)
