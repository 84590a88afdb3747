"""The starting schemes' rules load, and judge typical applicants as the agencies would."""

from decimal import Decimal as D

import pytest

from organisations.models import OrganisationKind as K
from schemes.eligibility import Facts, PartnerFacts, Verdict, evaluate, rank
from schemes.eligibility.presets import PRESETS, preset_rules


@pytest.mark.parametrize("scheme", sorted(PRESETS))
def test_every_preset_loads(scheme):
    assert preset_rules(scheme=scheme)


def test_a_kommune_with_a_research_partner_and_half_own_funding_may_apply_for_an_innovation_project():
    facts = Facts(applicant_kind=K.KOMMUNE, partners=(PartnerFacts(K.RESEARCH),), own_funding_share=D("50"))
    assert evaluate(rules=preset_rules(scheme="innovasjonsprosjekt-offentlig-sektor"), facts=facts).verdict == (
        Verdict.ELIGIBLE
    )


def test_ranking_the_schemes_for_a_kommune_we_know_little_about():
    evaluated = [
        (scheme, evaluate(rules=preset_rules(scheme=scheme), facts=Facts(applicant_kind=K.KOMMUNE)))
        for scheme in PRESETS
    ]
    ranked = [scheme for scheme, _ in rank(evaluated=evaluated)]
    assert ranked[:4] == ["stimulab", "forkommersielle-anskaffelser", "startoff", "offentlig-privat-samarbeid"]
    assert ranked[-1] == "kompetanseprosjekt-offentlig-sektor"  # only research organisations apply
