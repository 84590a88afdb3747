"""The eligibility engine: rules per scheme (overridable per call) judged against facts.

    from schemes.eligibility import Facts, Rule, evaluate, get_rule_type

    rules = rules_from_json(data=scheme.eligibility_rules)
    evaluation = evaluate(rules=rules, facts=Facts(applicant_kind=OrganisationKind.KOMMUNE))
    evaluation.verdict, [(o.status, str(o.explanation), o.note) for o in evaluation.outcomes]

Pure Python: no database access anywhere in this package.

Adding a rule type: in a module of ``rules/`` (a new module also needs one line in
``rules/__init__.py``), write a frozen dataclass for its parameters, a ``forms.Form`` whose cleaned
data builds that dataclass, and a ``@register``-ed ``RuleType`` subclass with a new ``key``, the
``facts_used`` it reads and ``evaluate``. Then add a parameter strategy to
``tests/schemes/strategies.py`` and an example to ``tests/schemes/test_eligibility_storage.py``;
tests fail until both exist, and the property tests then cover the new type.
"""

from . import rules  # noqa: F401  (importing registers the rule types)
from .base import (
    InvalidRuleParams,
    Rule,
    RuleDataError,
    RuleResult,
    RuleType,
    Severity,
    Status,
    UnknownRuleType,
    get_rule_type,
    register,
    rule_types,
    rules_from_json,
    rules_to_json,
)
from .engine import Evaluation, RuleOutcome, Verdict, evaluate, merge_rules, rank, rank_key, verdict_for
from .facts import Facts, PartnerFacts
from .text import Explanation, LocalizedText

__all__ = [
    "Evaluation",
    "Explanation",
    "Facts",
    "InvalidRuleParams",
    "LocalizedText",
    "PartnerFacts",
    "Rule",
    "RuleDataError",
    "RuleOutcome",
    "RuleResult",
    "RuleType",
    "Severity",
    "Status",
    "UnknownRuleType",
    "Verdict",
    "evaluate",
    "get_rule_type",
    "merge_rules",
    "rank",
    "rank_key",
    "register",
    "rule_types",
    "rules_from_json",
    "rules_to_json",
    "verdict_for",
]
