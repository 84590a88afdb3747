"""Rules are versioned: a change writes a new version with who, when and why; open calls need a confirmation."""

import pytest
from django.core.exceptions import ValidationError

from organisations.models import OrganisationKind
from schemes.eligibility import Facts, Rule, get_rule_type, rules_from_json
from schemes.models import RuleSetVersion
from schemes.selectors import effective_rules
from schemes.services import ruleset_update
from tests.factories import CallFactory, SchemeFactory, SuperuserFactory, _oslo_days_from_now

pytestmark = pytest.mark.django_db


def _kind_rule(*kinds):
    rule_type = get_rule_type("applicant-kind")
    form = rule_type.form_class(data={"kinds": list(kinds)})
    assert form.is_valid(), form.errors
    return Rule(rule_type, rule_type.params_from_cleaned_data(form.cleaned_data))


def test_each_change_is_a_new_version_and_the_old_stays_readable():
    admin, scheme = SuperuserFactory(), SchemeFactory()
    v1 = ruleset_update(scheme=scheme, rules=[_kind_rule("kommune")], reason="Første versjon", by_user=admin)
    v2 = ruleset_update(scheme=scheme, rules=[_kind_rule("kommune", "statlig")], reason="Åpner for staten",
                        by_user=admin)  # fmt: skip
    assert (v1.version, v2.version) == (1, 2)
    assert (v2.created_by, v2.reason) == (admin, "Åpner for staten")
    assert rules_from_json(data=RuleSetVersion.objects.get(pk=v1.pk).rules)[0].params == _kind_rule("kommune").params
    rules = effective_rules(scheme=scheme)
    assert rules.scheme_version == v2 and rules.versions == {"scheme_rules_version": 2, "call_rules_version": None}


def test_a_change_while_a_call_is_open_must_be_confirmed_and_an_empty_reason_is_refused():
    admin = SuperuserFactory()
    call = CallFactory()
    with pytest.raises(ValidationError, match="Utlysningen er åpen nå"):
        ruleset_update(scheme=call.scheme, rules=[_kind_rule("kommune")], reason="Endring", by_user=admin)
    with pytest.raises(ValidationError, match="Skriv hvorfor"):
        ruleset_update(scheme=call.scheme, rules=[], reason="  ", by_user=admin, confirm_open_calls=True)
    assert not RuleSetVersion.objects.exists()
    ruleset_update(scheme=call.scheme, rules=[_kind_rule("kommune")], reason="Endring", by_user=admin,
                   confirm_open_calls=True)  # fmt: skip
    closed = CallFactory(opens_at=_oslo_days_from_now(-30), closes_at=_oslo_days_from_now(-1))
    ruleset_update(call=closed, rules=[], reason="Etter fristen", by_user=admin)  # no confirmation needed


def test_a_call_s_rule_overrides_the_scheme_s_rule_of_the_same_kind():
    admin = SuperuserFactory()
    call = CallFactory(opens_at=_oslo_days_from_now(5), closes_at=_oslo_days_from_now(40))
    ruleset_update(scheme=call.scheme, rules=[_kind_rule("kommune")], reason="Ordningen", by_user=admin)
    ruleset_update(call=call, rules=[_kind_rule("kommune", "statlig")], reason="Denne runden", by_user=admin)
    rules = effective_rules(scheme=call.scheme, call=call)
    assert len(rules.rules) == 1
    assert rules.versions == {"scheme_rules_version": 1, "call_rules_version": 1}
    from schemes.eligibility import evaluate

    verdict = evaluate(rules=rules.rules, facts=Facts(applicant_kind=OrganisationKind.STATLIG)).verdict
    assert verdict == "eligible"
