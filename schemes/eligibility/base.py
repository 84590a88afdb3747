"""Rule types, the registry and stored rules.

A rule *type* (``RuleType`` subclass) is code: how to judge one kind of requirement, its parameters
(a frozen dataclass) and the Django form an administrator fills them in with. A *rule* (``Rule``) is
data: a rule type with concrete parameters and an optional note, stored as JSON on a scheme or call.

Adding a rule type is one ``@register``-ed class and its form in one module of ``rules``.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar, NamedTuple

from django import forms
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .facts import Facts
from .text import Explanation, LocalizedText


class Status(models.TextChoices):
    PASSES = "passes", _("Oppfylt")
    FAILS = "fails", _("Ikke oppfylt")
    UNKNOWN = "unknown", _("Ukjent")


class Severity(models.TextChoices):
    """A hard rule that fails stops the application; a soft one («normally …») asks for a justification."""

    HARD = "hard", _("Absolutt krav")
    SOFT = "soft", _("Normalt krav – søkeren kan begrunne avvik")


class RuleResult(NamedTuple):
    status: Status
    explanation: Explanation


class RuleDataError(ValueError):
    """Stored rule data that cannot be read: a programming or migration error, not user input."""


class UnknownRuleType(RuleDataError):
    def __init__(self, key: object) -> None:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        super().__init__(f"Unknown eligibility rule type {key!r} in stored rule data (known types: {known}).")
        self.key = key


class InvalidRuleParams(RuleDataError):
    def __init__(self, key: str, errors: Mapping[str, Any]) -> None:
        super().__init__(f"Invalid parameters for eligibility rule type {key!r}: {dict(errors)!r}")
        self.key = key
        self.errors = errors


class RuleType[P](ABC):
    """One kind of eligibility requirement. Subclasses set the class attributes and ``evaluate``.

    ``facts_used`` names the ``Facts`` fields ``evaluate`` reads: the public check asks only for
    those, and the property tests prove that no other fact changes the answer.
    """

    key: ClassVar[str]  # stable: it is stored in the database
    label: ClassVar[Promise | str]
    params_class: ClassVar[type]
    form_class: ClassVar[type[forms.Form]]
    facts_used: ClassVar[frozenset[str]]
    # True: no fact decides it; it stays «unknown» and becomes an item in the officer's formal check.
    decided_by_officer: ClassVar[bool] = False

    @abstractmethod
    def evaluate(self, params: P, facts: Facts) -> RuleResult:
        """Pure: the result follows from ``params`` and ``facts`` alone."""

    def describe(self, params: P) -> Explanation:
        """The requirement in plain words, with its parameters but no applicant's facts (shown on
        the scheme's page). Rule types override it; the fallback is the type's label."""
        return Explanation(self.label)

    def identity(self, params: P) -> str:
        """What a call's rule replaces in its scheme's rules: by default, the rule of the same type."""
        return self.key

    # --- storage: parameters go through the form, so stored and typed-in data are checked alike ---
    def params_to_json(self, params: P) -> dict[str, Any]:
        return {field.name: _to_json_value(getattr(params, field.name)) for field in fields(params)}

    def params_from_json(self, data: Mapping[str, Any]) -> P:
        if not isinstance(data, Mapping):
            raise InvalidRuleParams(self.key, {"__all__": [f"expected an object, got {data!r}"]})
        form = self.form_class(data=data)
        if not form.is_valid():
            raise InvalidRuleParams(self.key, form.errors.get_json_data())
        return self.params_from_cleaned_data(form.cleaned_data)

    def params_from_cleaned_data(self, cleaned_data: Mapping[str, Any]) -> P:
        return self.params_class(**cleaned_data)

    def __repr__(self) -> str:
        return f"<rule type {self.key}>"


_REGISTRY: dict[str, RuleType[Any]] = {}


def register[T: type[RuleType[Any]]](cls: T) -> T:
    """Class decorator: make a rule type available under its ``key``."""
    if cls.key in _REGISTRY:
        raise ValueError(f"Eligibility rule type key {cls.key!r} is registered twice.")
    unknown_facts = cls.facts_used - {field.name for field in fields(Facts)}
    if unknown_facts:
        raise ValueError(f"Rule type {cls.key!r} names facts that do not exist: {sorted(unknown_facts)}")
    _REGISTRY[cls.key] = cls()
    return cls


def get_rule_type(key: str) -> RuleType[Any]:
    try:
        return _REGISTRY[key]
    except (KeyError, TypeError):
        raise UnknownRuleType(key) from None


def rule_types() -> tuple[RuleType[Any], ...]:
    """Every registered rule type, in registration order (for the admin's choice of type)."""
    return tuple(_REGISTRY.values())


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule type with its parameters, and an optional note written by an administrator.

    The note is shown *in addition to* the generated explanation, never instead: the generated text
    names the applicant's own numbers, which an administrator cannot know in advance, while the note
    says why the requirement exists or where it comes from.
    """

    type: RuleType[Any]
    params: Any
    note: LocalizedText | None = None
    severity: Severity = Severity.HARD

    @property
    def is_soft(self) -> bool:
        return self.severity == Severity.SOFT

    def evaluate(self, facts: Facts) -> RuleResult:
        return self.type.evaluate(self.params, facts)

    def describe(self) -> Explanation:
        return self.type.describe(self.params)

    @property
    def identity(self) -> str:
        return self.type.identity(self.params)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type.key, "params": self.type.params_to_json(self.params)}
        if self.note is not None:
            data["note"] = self.note.to_json()
        if self.severity != Severity.HARD:
            data["severity"] = self.severity.value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Rule":
        if not isinstance(data, Mapping) or "type" not in data:
            raise RuleDataError(f"A stored eligibility rule is an object with a 'type', got {data!r}")
        rule_type = get_rule_type(data["type"])
        note = data.get("note")
        try:
            note = None if note is None else LocalizedText.from_json(note)
        except (ValueError, TypeError, AttributeError) as error:
            raise RuleDataError(f"Invalid note on eligibility rule {data['type']!r}: {error}") from error
        try:
            severity = Severity(data.get("severity", Severity.HARD))
        except ValueError as error:
            raise RuleDataError(f"Invalid severity on eligibility rule {data['type']!r}: {error}") from error
        params = rule_type.params_from_json(data.get("params", {}))
        return cls(type=rule_type, params=params, note=note, severity=severity)


def rules_to_json(*, rules: Iterable[Rule]) -> list[dict[str, Any]]:
    return [rule.to_json() for rule in rules]


def rules_from_json(*, data: Iterable[Mapping[str, Any]]) -> tuple[Rule, ...]:
    return tuple(Rule.from_json(item) for item in data)


def _to_json_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, frozenset | set):
        return sorted(_to_json_value(item) for item in value)
    return value
