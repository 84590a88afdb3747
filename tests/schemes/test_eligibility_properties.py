"""Properties that hold for any rules and any facts (hypothesis)."""

from dataclasses import fields

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from schemes.eligibility import Facts, Rule, Status, Verdict, evaluate, get_rule_type, rank_key, rule_types

from .strategies import PARAMS, complete_facts, facts, refinements, rule_lists, rules

STATUS_FOR_VERDICT = {Verdict.ELIGIBLE: 0, Verdict.NEED_MORE_INFORMATION: 1, Verdict.NOT_ELIGIBLE: 2}


def test_every_rule_type_has_a_strategy():
    assert {rule_type.key for rule_type in rule_types()} == set(PARAMS)


@pytest.mark.parametrize("key", sorted(PARAMS))
@settings(max_examples=300)
@given(data=st.data())
def test_knowing_more_never_undoes_a_pass_or_a_fail(key, data):
    """Adding a fact never turns a pass into unknown (nor a pass into a fail, or a fail into anything).
    One run per rule type, so that each gets its own examples."""
    rule = Rule(type=get_rule_type(key), params=data.draw(PARAMS[key]))
    before_facts = data.draw(facts)
    after_facts = data.draw(refinements(before_facts))
    was, now = rule.evaluate(before_facts), rule.evaluate(after_facts)
    if was.status != Status.UNKNOWN:
        assert now.status == was.status, (str(was.explanation), str(now.explanation))


@given(rules=rule_lists, data=st.data())
def test_knowing_more_never_undoes_a_verdict(rules, data):
    """Only «need more information» can change as facts are added."""
    before_facts = data.draw(facts)
    before = evaluate(rules=rules, facts=before_facts)
    after = evaluate(rules=rules, facts=data.draw(refinements(before_facts)))
    if before.verdict != Verdict.NEED_MORE_INFORMATION:
        assert after.verdict == before.verdict


@given(rule=rules(), first=facts, second=facts)
def test_facts_a_rule_does_not_use_change_nothing(rule, first, second):
    """A fail stays a fail (and a pass a pass, word for word) whatever unrelated facts are added or changed."""
    unrelated = {field.name for field in fields(Facts)} - rule.type.facts_used
    mixed = first.with_(**{name: getattr(second, name) for name in unrelated})
    was, now = rule.evaluate(first), rule.evaluate(mixed)
    assert now.status == was.status
    assert str(now.explanation) == str(was.explanation)


@given(rules=rule_lists, facts=facts)
def test_the_verdict_follows_from_the_statuses(rules, facts):
    evaluation = evaluate(rules=rules, facts=facts)
    statuses = [outcome.status for outcome in evaluation.outcomes]
    assert len(statuses) == len(rules)
    # The officer's judgements (always «unknown» here) are left to the formal check: the verdict
    # follows from the other rules alone.
    deciding = [outcome.status for outcome in evaluation.outcomes if not outcome.rule.type.decided_by_officer]
    if Status.FAILS in deciding:
        assert evaluation.verdict == Verdict.NOT_ELIGIBLE
    elif Status.UNKNOWN in deciding:
        assert evaluation.verdict == Verdict.NEED_MORE_INFORMATION
    else:
        assert evaluation.verdict == Verdict.ELIGIBLE
    assert evaluation.unknown_count == deciding.count(Status.UNKNOWN)
    assert rank_key(evaluation)[0] == STATUS_FOR_VERDICT[evaluation.verdict]
    # Judging the rules one at a time gives the same answers as judging them together.
    assert [rule.evaluate(facts).status for rule in rules] == statuses


@given(rules=rule_lists, facts=complete_facts)
def test_complete_facts_leave_nothing_unknown_but_the_officers_judgements(rules, facts):
    for outcome in evaluate(rules=rules, facts=facts).outcomes:
        assert (outcome.status == Status.UNKNOWN) == outcome.rule.type.decided_by_officer


@given(rules=rule_lists, facts=facts)
def test_every_explanation_renders_in_every_language(rules, facts):
    evaluation = evaluate(rules=rules, facts=facts)
    for language in ("nb", "nn", "en"):
        with translation.override(language):
            for outcome in evaluation.outcomes:
                text = str(outcome.explanation)
                assert text and "None" not in text and "%(" not in text
                assert outcome.note is None or str(outcome.note)


@given(rule=rules())
def test_any_rule_survives_a_json_round_trip(rule):
    assert Rule.from_json(rule.to_json()) == rule
