"""Eligibility engine speed: 10 rules judged against facts 100 000 times (`make bench` prints it)."""

import time
from decimal import Decimal as D

from organisations.models import OrganisationKind as K
from schemes.eligibility import Facts, PartnerFacts, Rule, evaluate

RULES = [
    Rule.from_json(data)
    for data in [
        {"type": "applicant-kind", "params": {"kinds": ["kommune", "fylkeskommune", "statlig"]}},
        {"type": "applicant-public-funding-share", "params": {"minimum": "80"}},
        {"type": "min-public-partners", "params": {"minimum": 1}},
        {"type": "research-partner", "params": {}},
        {"type": "own-funding-share", "params": {"minimum": "50"}},
        {"type": "requested-amount", "params": {"minimum": "100000", "maximum": "2000000"}},
        {"type": "max-duration-months", "params": {"maximum": 36}},
        {"type": "candidate-without-doctorate", "params": {}},
        {"type": "max-applications", "params": {"maximum": 2, "period": "year"}},
        {"type": "declaration", "params": {"key": "forankret", "statement_nb": "Forankret i toppledelsen."}},
    ]
]
FACTS = [
    Facts(),
    Facts(
        applicant_kind=K.KOMMUNE, applicant_public_funding_share=D("100"), own_funding_share=D("50"),
        partners=(PartnerFacts(K.KOMMUNE), PartnerFacts(K.RESEARCH), PartnerFacts(None)),
        requested_amount=D("1250000"), duration_months=36, candidate_has_doctorate=False,
        applications_this_year=1, confirmed_declarations=frozenset({"forankret"}),
    ),
    Facts(applicant_kind=K.COMPANY, own_funding_share=D("40"), partners=(), duration_months=48),
]  # fmt: skip
EVALUATIONS = 100_000
# A generous ceiling on a shared machine; it catches an order-of-magnitude regression, not noise.
CEILING_SECONDS = 30


def test_ten_rules_a_hundred_thousand_times():
    start = time.perf_counter()
    for round_ in range(EVALUATIONS):
        evaluate(rules=RULES, facts=FACTS[round_ % len(FACTS)])
    elapsed = time.perf_counter() - start
    per_evaluation = elapsed / EVALUATIONS * 1e6
    print(
        f"\neligibility: {len(RULES)} rules × {EVALUATIONS:,} evaluations in {elapsed:.2f} s "
        f"= {per_evaluation:.1f} µs per evaluation ({per_evaluation / len(RULES):.2f} µs per rule)"
    )
    assert elapsed < CEILING_SECONDS


def test_rendering_the_explanations():
    """Explanations are rendered only when shown; a result page renders one evaluation's worth."""
    evaluation = evaluate(rules=RULES, facts=FACTS[1])
    renders = 10_000
    start = time.perf_counter()
    for _ in range(renders):
        for outcome in evaluation.outcomes:
            str(outcome.explanation)
    elapsed = time.perf_counter() - start
    print(f"\neligibility: {len(RULES)} explanations rendered {renders:,} times in {elapsed:.2f} s")
    assert elapsed < CEILING_SECONDS
