"""Reading the version history of rules: each version's rules in words, and what changed.

Stored versions are described from their JSON through each rule type's own form (labels and
choices), so nothing here names a particular type. A version whose rule type no longer exists is
still shown, with its raw parameters: old versions stay readable.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .eligibility import Rule, RuleDataError, UnknownRuleType, get_rule_type
from .eligibility.text import LANGUAGES, join_words
from .models import Call, RuleSetVersion, Scheme

LANGUAGE_NAMES = {"nb": _("bokmål"), "nn": _("nynorsk"), "en": _("engelsk")}


@dataclass(frozen=True)
class RuleDescription:
    label: str
    params: tuple[tuple[str, str], ...]
    notes: tuple[tuple[str, str], ...]  # (language name, text)
    identity: str
    data: Mapping[str, Any] = field(compare=False, repr=False)


@dataclass(frozen=True)
class VersionChanges:
    added: tuple[RuleDescription, ...] = ()
    removed: tuple[RuleDescription, ...] = ()
    changed: tuple[RuleDescription, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class VersionEntry:
    version: RuleSetVersion
    rules: tuple[RuleDescription, ...]
    changes: VersionChanges | None  # None for the first version


def rule_versions(*, scheme: Scheme | None = None, call: Call | None = None) -> list[RuleSetVersion]:
    """Every version of the scheme's rules (or the call's overrides), newest first, with who saved it."""
    owner = {"scheme": scheme} if scheme is not None else {"call": call}
    return list(RuleSetVersion.objects.filter(**owner).select_related("created_by").order_by("-version"))


def version_history(*, versions: Sequence[RuleSetVersion]) -> list[VersionEntry]:
    """``versions`` newest first (as ``rule_versions`` gives them), each with its changes from the one before."""
    described = [tuple(describe_rule(data) for data in version.rules) for version in versions]
    entries = []
    for position, version in enumerate(versions):
        older = described[position + 1] if position + 1 < len(described) else None
        changes = None if older is None else compare(older=older, newer=described[position])
        entries.append(VersionEntry(version=version, rules=described[position], changes=changes))
    return entries


def compare(*, older: Sequence[RuleDescription], newer: Sequence[RuleDescription]) -> VersionChanges:
    before = {rule.identity: rule for rule in older}
    after = {rule.identity: rule for rule in newer}
    return VersionChanges(
        added=tuple(rule for identity, rule in after.items() if identity not in before),
        removed=tuple(rule for identity, rule in before.items() if identity not in after),
        changed=tuple(
            rule for identity, rule in after.items() if identity in before and before[identity].data != rule.data
        ),
    )


def describe_rule(data: Mapping[str, Any]) -> RuleDescription:
    key = str(data.get("type", "")) if isinstance(data, Mapping) else ""
    params = data.get("params", {}) if isinstance(data, Mapping) else {}
    params = params if isinstance(params, Mapping) else {}
    note = data.get("note") if isinstance(data, Mapping) else None
    notes = tuple(
        (str(LANGUAGE_NAMES[language]), str(note[language]))
        for language in LANGUAGES
        if isinstance(note, Mapping) and note.get(language)
    )
    try:
        rule_type = get_rule_type(key)
    except UnknownRuleType:
        raw = tuple((str(name), str(value)) for name, value in params.items())
        label = str(_("Ukjent regeltype «%(key)s»")) % {"key": key}
        return RuleDescription(label=label, params=raw, notes=notes, identity=key, data=data)
    form = rule_type.form_class()
    described = tuple(
        (str(form_field.label or name), _value_text(form_field, params.get(name)))
        for name, form_field in form.fields.items()
    )
    try:
        identity = Rule.from_json(data).identity
    except RuleDataError:
        identity = key
    return RuleDescription(label=str(rule_type.label), params=described, notes=notes, identity=identity, data=data)


def _value_text(form_field: forms.Field, value: Any) -> str:
    if value in (None, "", [], ()):
        return "–"
    if isinstance(form_field, forms.BooleanField):
        return str(_("ja")) if value else str(_("nei"))
    if isinstance(form_field, forms.ChoiceField):
        labels = {str(choice): str(label) for choice, label in form_field.choices}
        values = value if isinstance(value, list | tuple) else [value]
        return join_words(labels.get(str(item), str(item)) for item in values)
    if isinstance(form_field, forms.DecimalField):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return number_format(number.quantize(1) if number == number.to_integral_value() else number.normalize())
    return str(value)
