"""Rules as stored data: the registry, JSON round trips, and each rule type's form (Norwegian errors)."""

from decimal import Decimal as D

import pytest

from organisations.models import OrganisationKind as K
from schemes.eligibility import (
    InvalidRuleParams,
    LocalizedText,
    Rule,
    RuleDataError,
    UnknownRuleType,
    get_rule_type,
    register,
    rule_types,
    rules_from_json,
    rules_to_json,
)
from schemes.eligibility.base import RuleType
from schemes.eligibility.rules.project import Period

# One stored example per rule type; test_every_rule_type_has_an_example keeps this list complete.
EXAMPLES = {
    "applicant-kind": {"kinds": ["kommune", "statlig"]},
    "applicant-public-funding-share": {"minimum": "80"},
    "min-public-partners": {"minimum": 2},
    "research-partner": {},
    "company-partner": {},
    "own-funding-share": {"minimum": "50.00"},
    "requested-amount": {"minimum": "100000", "maximum": "2000000"},
    "max-duration-months": {"maximum": 36},
    "candidate-permanently-employed": {},
    "candidate-without-doctorate": {},
    "max-applications": {"maximum": 2, "period": "year"},
    "declaration": {
        "key": "forankret",
        "statement_nb": "Prosjektet er forankret i toppledelsen.",
        "statement_nn": "Prosjektet er forankra i toppleiinga.",
        "statement_en": "The project is anchored with top management.",
    },
    "officer-judgement": {
        "statement_nb": "Prosjektet er relevant for arbeidsgiverens ansvar.",
        "statement_en": "Relevant.",
    },
    "max-support-share": {"maximum": "50"},
    "previous-stage-completed": {},
}


def test_every_rule_type_has_an_example():
    assert {rule_type.key for rule_type in rule_types()} == set(EXAMPLES)


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_json_round_trip(key):
    stored = {"type": key, "params": EXAMPLES[key], "note": {"nb": "Kravet står i utlysningen.", "en": "See the call."}}
    rule = Rule.from_json(stored)
    again = Rule.from_json(rule.to_json())
    assert again == rule
    assert again.to_json() == rule.to_json()
    assert rule.note == LocalizedText("Kravet står i utlysningen.", "", "See the call.")


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_the_form_accepts_the_stored_parameters_as_initial_data(key):
    rule_type = get_rule_type(key)
    params = rule_type.params_from_json(EXAMPLES[key])
    form = rule_type.form_class(data=rule_type.params_to_json(params))
    assert form.is_valid(), form.errors
    assert rule_type.params_from_cleaned_data(form.cleaned_data) == params


@pytest.mark.parametrize("severity", ["hard", "soft"])
def test_severity_round_trip(severity):
    rule = Rule.from_json({"type": "own-funding-share", "params": {"minimum": "50"}, "severity": severity})
    assert rule.severity == severity
    assert Rule.from_json(rule.to_json()) == rule
    assert ("severity" in rule.to_json()) == (severity == "soft")


def test_an_unknown_severity_is_a_clear_error():
    with pytest.raises(RuleDataError, match="severity"):
        Rule.from_json({"type": "own-funding-share", "params": {"minimum": "50"}, "severity": "medium"})


def test_typed_parameters():
    assert get_rule_type("applicant-kind").params_from_json({"kinds": ["kommune"]}).kinds == frozenset({K.KOMMUNE})
    assert get_rule_type("own-funding-share").params_from_json({"minimum": "50"}).minimum == D("50")
    assert get_rule_type("max-applications").params_from_json({"maximum": 2, "period": "call"}).period is Period.CALL


def test_rules_list_round_trip():
    rules = rules_from_json(data=[{"type": key, "params": params} for key, params in EXAMPLES.items()])
    assert rules_from_json(data=rules_to_json(rules=rules)) == rules


def test_an_unknown_rule_type_in_stored_data_is_a_clear_error():
    with pytest.raises(
        UnknownRuleType, match=r"Unknown eligibility rule type 'no-such-rule'.*known types: .*own-funding"
    ):
        Rule.from_json({"type": "no-such-rule", "params": {}})
    with pytest.raises(RuleDataError, match="object with a 'type'"):
        Rule.from_json({"params": {}})


def test_invalid_stored_parameters_are_a_clear_error():
    with pytest.raises(InvalidRuleParams, match="own-funding-share") as raised:
        Rule.from_json({"type": "own-funding-share", "params": {"minimum": "150"}})
    assert "minimum" in raised.value.errors
    with pytest.raises(InvalidRuleParams):
        Rule.from_json({"type": "own-funding-share", "params": ["50"]})


def test_an_invalid_note_is_a_clear_error():
    with pytest.raises(RuleDataError, match="note"):
        Rule.from_json({"type": "research-partner", "params": {}, "note": {"de": "Hallo"}})
    with pytest.raises(RuleDataError, match="note"):
        Rule.from_json({"type": "research-partner", "params": {}, "note": {"nn": "Berre nynorsk"}})


def test_a_key_registered_twice_is_refused():
    class Duplicate(RuleType):
        key = "own-funding-share"
        facts_used = frozenset()

        def evaluate(self, params, facts):
            raise NotImplementedError

    with pytest.raises(ValueError, match="registered twice"):
        register(Duplicate)


def test_a_rule_type_naming_a_fact_that_does_not_exist_is_refused():
    class Misspelt(RuleType):
        key = "misspelt"
        facts_used = frozenset({"applicant_knid"})

        def evaluate(self, params, facts):
            raise NotImplementedError

    with pytest.raises(ValueError, match="applicant_knid"):
        register(Misspelt)
    with pytest.raises(UnknownRuleType):
        get_rule_type("misspelt")


# --- forms: what an administrator sees when a parameter is wrong ------------------------------------
def errors(key, data):
    form = get_rule_type(key).form_class(data=data)
    assert not form.is_valid()
    return form.errors


def test_applicant_kind_form():
    assert errors("applicant-kind", {}) == {"kinds": ["Velg minst én type virksomhet."]}
    assert "er ikke et av de tilgjengelige valgene" in errors("applicant-kind", {"kinds": ["romvesen"]})["kinds"][0]


@pytest.mark.parametrize("key", ["applicant-public-funding-share", "own-funding-share"])
def test_percent_forms(key):
    assert errors(key, {"minimum": "101"}) == {"minimum": ["Verdien må være mindre enn eller lik 100."]}
    assert errors(key, {"minimum": "-1"}) == {"minimum": ["Verdien må være større enn eller lik 0."]}
    assert errors(key, {}) == {"minimum": ["Feltet er påkrevet."]}
    form = get_rule_type(key).form_class(data={"minimum": "33,5"})  # Norwegian decimal comma
    assert form.is_valid() and form.cleaned_data["minimum"] == D("33.5")


def test_requested_amount_form():
    assert errors("requested-amount", {}) == {"__all__": ["Oppgi minste beløp, største beløp eller begge."]}
    assert errors("requested-amount", {"minimum": "200", "maximum": "100"}) == {
        "maximum": ["Største beløp kan ikke være mindre enn minste beløp."]
    }
    assert get_rule_type("requested-amount").form_class(data={"minimum": "100", "maximum": "100"}).is_valid()


@pytest.mark.parametrize("key", ["min-public-partners", "max-duration-months"])
def test_count_forms(key):
    field = "minimum" if key == "min-public-partners" else "maximum"
    assert errors(key, {field: "0"}) == {field: ["Verdien må være større enn eller lik 1."]}
    assert errors(key, {field: "to"}) == {field: ["Oppgi et heltall."]}


def test_max_applications_form():
    assert set(errors("max-applications", {"maximum": "2", "period": "decade"})) == {"period"}
    assert set(errors("max-applications", {"period": "year"})) == {"maximum"}


def test_declaration_form():
    found = errors("declaration", {"key": "ikke en nøkkel!", "statement_nb": ""})
    assert set(found) == {"key", "statement_nb"}
    assert found["statement_nb"] == ["Feltet er påkrevet."]


@pytest.mark.parametrize(
    "key", ["research-partner", "company-partner", "candidate-permanently-employed", "candidate-without-doctorate"]
)
def test_rule_types_without_parameters_have_an_empty_form(key):
    form = get_rule_type(key).form_class(data={})
    assert form.is_valid() and not form.fields
