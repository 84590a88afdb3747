"""Reads of schemes, calls and the rules in force."""

from dataclasses import dataclass

from .eligibility import Rule, merge_rules, rules_from_json
from .models import Call, RuleSetVersion, Scheme


@dataclass(frozen=True)
class EffectiveRules:
    """The rules that apply, and the versions they came from (recorded with every evaluation)."""

    rules: tuple[Rule, ...]
    scheme_version: RuleSetVersion | None
    call_version: RuleSetVersion | None

    @property
    def versions(self) -> dict[str, int | None]:
        return {
            "scheme_rules_version": self.scheme_version.version if self.scheme_version else None,
            "call_rules_version": self.call_version.version if self.call_version else None,
        }


def current_rule_version(*, scheme: Scheme | None = None, call: Call | None = None) -> RuleSetVersion | None:
    """The newest version of the scheme's rules, or of the call's overrides (None if never set)."""
    owner = {"scheme": scheme} if scheme is not None else {"call": call}
    return RuleSetVersion.objects.filter(**owner).order_by("-version").first()


def effective_rules(*, scheme: Scheme, call: Call | None = None) -> EffectiveRules:
    """The scheme's current rules with the call's current overrides merged in (a call's rule
    replaces the scheme's rule of the same identity; other call rules are added)."""
    scheme_version = current_rule_version(scheme=scheme)
    call_version = current_rule_version(call=call) if call is not None else None
    rules = merge_rules(
        scheme_rules=rules_from_json(data=scheme_version.rules) if scheme_version else (),
        call_rules=rules_from_json(data=call_version.rules) if call_version else (),
    )
    return EffectiveRules(rules=rules, scheme_version=scheme_version, call_version=call_version)
