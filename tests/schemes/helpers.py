from typing import Any

from schemes.eligibility import Facts, Rule, RuleResult, Status


def make_rule(key: str, /, **params: Any) -> Rule:
    """A rule as an administrator would store it, read back through its form."""
    return Rule.from_json({"type": key, "params": params})


def judge(rule: Rule, **facts: Any) -> tuple[Status, str]:
    result: RuleResult = rule.evaluate(Facts(**facts))
    return result.status, str(result.explanation)
