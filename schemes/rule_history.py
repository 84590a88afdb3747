"""Reading the version history of rules: each version's rules in words, and what changed.

Each stored rule is described with the same sentence applicants read on the scheme's page
(``Rule.describe``), so the admin sees exactly what applicants see. A version whose rule type no
longer exists, or whose parameters its type no longer accepts, is still shown with its raw
parameters: old versions stay readable.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.localized_forms import LANGUAGE_NAMES

from .eligibility import Rule, RuleDataError, UnknownRuleType, get_rule_type
from .eligibility.text import LANGUAGES, Explanation
from .models import Call, RuleSetVersion, Scheme


@dataclass(frozen=True)
class RuleDescription:
    label: str
    text: Explanation | None  # what applicants read (``Rule.describe``); None for unreadable data
    params: tuple[tuple[str, str], ...]  # raw, only for unreadable data
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
    """A stored rule as the admin reads it: its type's label and the sentence applicants read.

    Data that can no longer be read as a rule (a rule type that is gone, parameters a changed type
    refuses) is shown with its raw parameters instead: old versions stay readable.
    """
    data = data if isinstance(data, Mapping) else {}
    key = str(data.get("type", ""))
    note = data.get("note")
    notes = tuple(
        (str(LANGUAGE_NAMES[language]), str(note[language]))
        for language in LANGUAGES
        if isinstance(note, Mapping) and note.get(language)
    )
    try:
        rule = Rule.from_json(data)
    except RuleDataError:
        params = data.get("params", {})
        raw = tuple((str(name), str(value)) for name, value in params.items()) if isinstance(params, Mapping) else ()
        try:
            label = str(get_rule_type(key).label)
        except UnknownRuleType:
            label = str(_("Ukjent regeltype «%(key)s»")) % {"key": key}
        return RuleDescription(label=label, text=None, params=raw, notes=notes, identity=key, data=data)
    return RuleDescription(
        label=str(rule.type.label), text=rule.describe(), params=(), notes=notes, identity=rule.identity, data=data
    )
