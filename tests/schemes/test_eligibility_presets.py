"""The starting schemes' rules load, and judge typical applicants as the agencies would."""

from decimal import Decimal as D

import pytest

from organisations.models import OrganisationKind as K
from schemes.eligibility import Facts, PartnerFacts, Status, evaluate, rank
from schemes.eligibility.presets import PRESETS, preset_rules


@pytest.mark.parametrize("scheme", sorted(PRESETS))
def test_every_preset_loads(scheme):
    assert preset_rules(scheme=scheme)


def test_a_kommune_with_a_research_partner_and_half_own_funding_may_apply_for_an_innovation_project():
    facts = Facts(applicant_kind=K.KOMMUNE, partners=(PartnerFacts(K.RESEARCH),), own_funding_share=D("50"))
    evaluation = evaluate(rules=preset_rules(scheme="innovasjonsprosjekt-offentlig-sektor"), facts=facts)
    # Every rule passes but the one the officer judges (the research organisation's approval).
    assert {o.rule.type.key for o in evaluation.with_status(Status.UNKNOWN)} == {"officer-judgement"}
    assert not evaluation.with_status(Status.FAILS)
    # Own funding below half is a soft rule: it fails, and the applicant may justify it.
    low = evaluate(rules=preset_rules(scheme="innovasjonsprosjekt-offentlig-sektor"),
                   facts=facts.with_(own_funding_share=D("40")))  # fmt: skip
    assert [(o.rule.type.key, o.rule.is_soft) for o in low.with_status(Status.FAILS)] == [("own-funding-share", True)]


def test_no_scheme_lists_a_rule_twice():
    for scheme, rules in PRESETS.items():
        keys = [(rule["type"], repr(rule["params"])) for rule in rules]
        assert len(keys) == len(set(keys)), scheme


def test_ranking_the_schemes_for_a_kommune_we_know_little_about():
    evaluated = [
        (scheme, evaluate(rules=preset_rules(scheme=scheme), facts=Facts(applicant_kind=K.KOMMUNE)))
        for scheme in PRESETS
    ]
    ranked = [scheme for scheme, _ in rank(evaluated=evaluated)]
    # StartOff asks only the kind; StimuLab also a declaration, PCP the stage; OPS a declaration and partners.
    assert ranked[:4] == ["startoff", "stimulab", "forkommersielle-anskaffelser", "offentlig-privat-samarbeid"]
    assert ranked[-1] == "kompetanseprosjekt-offentlig-sektor"  # only research organisations apply
