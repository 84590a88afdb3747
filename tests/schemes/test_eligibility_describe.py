"""Each rule type describes its requirement in plain words for the scheme's page (no applicant facts)."""

import pytest
from django.utils import translation

from schemes.eligibility import Rule, rule_types
from schemes.eligibility.base import RuleType
from tests.schemes.test_eligibility_storage import EXAMPLES

DESCRIBED = {
    "applicant-kind": "Ordningen er åpen for kommune og statlig virksomhet.",
    "applicant-public-funding-share": "Søkeren må være minst 80 % offentlig finansiert.",
    "min-public-partners": "Prosjektet må ha minst 2 offentlige partnere i tillegg til søkeren.",
    "research-partner": "Prosjektet må ha en forskningsorganisasjon som partner.",
    "company-partner": "Prosjektet må ha en bedrift som partner.",
    "own-funding-share": "Egenfinansieringen må være minst 50 %.",
    "requested-amount": "Beløpet det søkes om må være mellom 100\xa0000 kr og 2\xa0000\xa0000 kr.",
    "max-duration-months": "Prosjektet kan vare i høyst 36 måneder.",
    "candidate-permanently-employed": "Kandidaten må være fast ansatt hos søkeren.",
    "candidate-without-doctorate": "Kandidaten kan ikke ha doktorgrad fra før.",
    "max-applications": "Hver organisasjon kan sende høyst 2 søknader per år.",
    "declaration": "Søkeren må bekrefte: «Prosjektet er forankret i toppledelsen.»",
    "officer-judgement": "Prosjektet er relevant for arbeidsgiverens ansvar.",
    "max-support-share": "Støtten kan være høyst 50 % av prosjektets kostnader.",
    "previous-stage-completed": "Et hovedprosjekt krever at forprosjektet er gjennomført.",
}


def test_every_rule_type_is_described():
    assert {rule_type.key for rule_type in rule_types()} == set(DESCRIBED)


@pytest.mark.parametrize("key", sorted(DESCRIBED))
def test_description_names_the_parameters(key):
    rule = Rule.from_json({"type": key, "params": EXAMPLES[key]})
    assert str(rule.describe()) == DESCRIBED[key]


@pytest.mark.parametrize(
    ("key", "params", "expected"),
    [
        ("requested-amount", {"minimum": "100000"}, "Beløpet det søkes om må være minst 100\xa0000 kr."),
        ("requested-amount", {"maximum": "500000"}, "Beløpet det søkes om kan være høyst 500\xa0000 kr."),
        ("min-public-partners", {"minimum": 1}, "Prosjektet må ha minst 1 offentlig partner i tillegg til søkeren."),
        ("max-duration-months", {"maximum": 1}, "Prosjektet kan vare i høyst 1 måned."),
        ("max-applications", {"maximum": 1, "period": "call"},
         "Hver organisasjon kan sende høyst 1 søknad til hver utlysning."),
        ("own-funding-share", {"minimum": "33.5"}, "Egenfinansieringen må være minst 33,5 %."),
    ],
)  # fmt: skip
def test_description_variants(key, params, expected):
    assert str(Rule.from_json({"type": key, "params": params}).describe()) == expected


def test_declaration_is_described_in_the_active_language():
    rule = Rule.from_json({"type": "declaration", "params": EXAMPLES["declaration"]})
    with translation.override("en"):
        assert "The project is anchored with top management." in str(rule.describe())


def test_a_rule_type_without_its_own_description_falls_back_to_its_label():
    class Bare(RuleType):
        key = "bare"
        label = "Et krav uten egen beskrivelse"

        def evaluate(self, params, facts):  # pragma: no cover - never judged here
            raise AssertionError

    assert str(Bare().describe(None)) == "Et krav uten egen beskrivelse"
