"""The engine around the rules: verdicts, ranking schemes, a call's rules over its scheme's, facts."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from organisations.models import OrganisationKind as K
from schemes.eligibility import (
    Facts,
    LocalizedText,
    PartnerFacts,
    Rule,
    Status,
    Verdict,
    evaluate,
    merge_rules,
    rank,
    rank_key,
)

from .helpers import make_rule

KIND = make_rule("applicant-kind", kinds=["kommune", "statlig"])
OWN = make_rule("own-funding-share", minimum="50")
DURATION = make_rule("max-duration-months", maximum=36)


class TestVerdict:
    def test_no_rules_is_eligible(self):
        assert evaluate(rules=[], facts=Facts()).verdict == Verdict.ELIGIBLE

    def test_all_pass_is_eligible(self):
        facts = Facts(applicant_kind=K.KOMMUNE, own_funding_share=D("50"), duration_months=36)
        evaluation = evaluate(rules=[KIND, OWN, DURATION], facts=facts)
        assert evaluation.verdict == Verdict.ELIGIBLE
        assert str(evaluation.label) == "Kan søke"

    def test_some_unknown_none_failing_needs_more_information(self):
        evaluation = evaluate(rules=[KIND, OWN, DURATION], facts=Facts(applicant_kind=K.KOMMUNE))
        assert evaluation.verdict == Verdict.NEED_MORE_INFORMATION
        assert [outcome.status for outcome in evaluation.outcomes] == [Status.PASSES, Status.UNKNOWN, Status.UNKNOWN]
        assert evaluation.unknown_count == 2

    def test_one_failure_is_not_eligible_even_with_unknowns(self):
        evaluation = evaluate(rules=[KIND, OWN, DURATION], facts=Facts(own_funding_share=D("40")))
        assert evaluation.verdict == Verdict.NOT_ELIGIBLE
        assert [outcome.rule for outcome in evaluation.with_status(Status.FAILS)] == [OWN]
        assert str(evaluation.with_status(Status.FAILS)[0].explanation) == (
            "Egenfinansiering må være minst 50 %, oppgitt 40 %."
        )

    def test_results_keep_the_rules_order_and_carry_the_note(self):
        noted = Rule(type=OWN.type, params=OWN.params, note=LocalizedText("Se forskriften § 4.", "Sjå forskrifta § 4."))
        evaluation = evaluate(rules=[DURATION, noted], facts=Facts())
        assert [outcome.rule for outcome in evaluation.outcomes] == [DURATION, noted]
        assert evaluation.outcomes[0].note is None
        with translation.override("nn"):
            assert str(evaluation.outcomes[1].note) == "Sjå forskrifta § 4."
        with translation.override("en"):
            assert str(evaluation.outcomes[1].note) == "Se forskriften § 4."  # no English: bokmål


class TestRank:
    def test_eligible_then_fewest_unknowns_then_nearest_misses(self):
        facts = Facts(applicant_kind=K.KOMMUNE, own_funding_share=D("40"))
        schemes = {
            "fails twice": [OWN, make_rule("applicant-kind", kinds=["statlig"])],
            "two unknown": [KIND, DURATION, make_rule("research-partner")],
            "eligible": [KIND],
            "fails once": [OWN, DURATION],
            "one unknown": [KIND, DURATION],
            "no rules": [],
        }
        ranked = rank(evaluated=[(name, evaluate(rules=rules, facts=facts)) for name, rules in schemes.items()])
        assert [name for name, _ in ranked] == [
            "eligible", "no rules", "one unknown", "two unknown", "fails once", "fails twice",
        ]  # fmt: skip

    def test_ties_keep_the_given_order(self):
        evaluation = evaluate(rules=[KIND], facts=Facts())
        assert [name for name, _ in rank(evaluated=[("b", evaluation), ("a", evaluation)])] == ["b", "a"]
        assert rank_key(evaluation) == (1, 1)


class TestMergeRules:
    def test_a_call_rule_replaces_the_scheme_rule_of_the_same_type_in_place(self):
        call_own = make_rule("own-funding-share", minimum="30")
        assert merge_rules(scheme_rules=[KIND, OWN, DURATION], call_rules=[call_own]) == (KIND, call_own, DURATION)

    def test_new_call_rules_come_after(self):
        extra = make_rule("company-partner")
        assert merge_rules(scheme_rules=[KIND], call_rules=[extra]) == (KIND, extra)

    def test_declarations_and_application_limits_are_told_apart(self):
        def declaration(key, text):
            return make_rule("declaration", key=key, statement_nb=text)

        anchored, open_data = declaration("forankret", "Forankret."), declaration("apne-data", "Åpne data.")
        per_year = make_rule("max-applications", maximum=2, period="year")
        per_call = make_rule("max-applications", maximum=1, period="call")
        reworded = declaration("forankret", "Forankret i toppledelsen.")
        merged = merge_rules(scheme_rules=[anchored, per_year], call_rules=[per_call, reworded, open_data])
        assert merged == (reworded, per_year, per_call, open_data)


class TestFacts:
    def test_with_adds_and_changes_facts(self):
        facts = Facts(applicant_kind=K.KOMMUNE)
        more = facts.with_(duration_months=36)
        assert (more.applicant_kind, more.duration_months) == (K.KOMMUNE, 36)
        assert facts.duration_months is None  # unchanged: facts are frozen

    def test_merge_keeps_what_the_other_does_not_know(self):
        merged = Facts(applicant_kind=K.KOMMUNE, duration_months=12) | Facts(duration_months=24, partners=())
        assert merged == Facts(applicant_kind=K.KOMMUNE, duration_months=24, partners=())

    @pytest.mark.parametrize(
        "facts",
        [{"own_funding_share": D("101")}, {"applicant_public_funding_share": D("-1")}, {"duration_months": -1}],
    )
    def test_impossible_facts_are_refused(self, facts):
        with pytest.raises(ValueError):
            Facts(**facts)

    def test_partner_is_public_from_its_kind(self):
        assert PartnerFacts(K.HELSEFORETAK).is_public is True
        assert PartnerFacts(K.COMPANY).is_public is False
        assert PartnerFacts().is_public is None
