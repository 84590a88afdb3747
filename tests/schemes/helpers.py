from typing import Any

from schemes.eligibility import Facts, Rule, RuleResult, Status


def make_rule(key: str, /, **params: Any) -> Rule:
    """A rule as an administrator would store it, read back through its form."""
    return Rule.from_json({"type": key, "params": params})


def judge(rule: Rule, **facts: Any) -> tuple[Status, str]:
    result: RuleResult = rule.evaluate(Facts(**facts))
    return result.status, str(result.explanation)


def set_applicant_kinds(scheme, *kinds: str) -> None:
    """Give the scheme an applicant-kind rule (a new rule version, as the rule editor would)."""
    from schemes.eligibility import rules_from_json
    from schemes.services import ruleset_update

    rules = rules_from_json(data=[{"type": "applicant-kind", "params": {"kinds": [str(kind) for kind in kinds]}}])
    ruleset_update(scheme=scheme, rules=rules, reason="Hvem kan søke", by_user=None)
