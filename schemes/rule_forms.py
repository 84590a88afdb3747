"""The admin's rule editor as forms: one entry per rule, each with its rule type's own form.

Generic over the registered rule types: nothing here names a particular type, so a new rule type
(one class and its form in ``eligibility/rules``) shows up in the editor by itself.

The editor works without JavaScript: «add a rule of type X» is a submit button that re-renders the
page with every entry as typed plus one empty entry. Typed values are carried over by rebuilding
the forms unbound with the posted values as their initial data, so no errors are shown until the
person saves.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from portal.localized_forms import LocalizedTextsMixin, localized_initial, localized_text_fields, unbound

from .eligibility import Rule, RuleType, Severity, UnknownRuleType, get_rule_type, rule_types

TOTAL_FIELD = "rules-TOTAL"
MAX_RULES = 100  # a bound on what a posted form may ask the server to build


class RuleMetaForm(LocalizedTextsMixin, forms.Form):
    """What every rule has besides its parameters: its type, an optional note, and «remove»."""

    optional_texts = ("note",)
    bokmal_missing_message = _("Skriv merknaden på bokmål også, eller la den stå tom på alle språk.")

    type = forms.CharField(widget=forms.HiddenInput)
    note_nb, note_nn, note_en = localized_text_fields(
        {"nb": _("Merknad (bokmål)"), "nn": _("Merknad (nynorsk)"), "en": _("Merknad (engelsk)")},
        textarea=True, max_length=500,
        help_text=_("Vises sammen med forklaringen i sjekken, for eksempel hvorfor kravet finnes. Valgfri."),
    )  # fmt: skip
    severity = forms.TypedChoiceField(
        label=_("Hvor strengt er kravet?"), choices=Severity.choices, coerce=Severity, initial=Severity.HARD,
        required=False, empty_value=Severity.HARD, widget=forms.RadioSelect,
        help_text=_(
            "Et normalt krav stopper ikke søknaden: søkeren må begrunne avviket, og saksbehandleren leser det."
        ),
    )  # fmt: skip
    DELETE = forms.BooleanField(label=_("Fjern regelen når jeg lagrer"), required=False)


class RuleEntry:
    """One rule in the editor: its meta form and its type's parameter form, prefixed by position."""

    def __init__(self, *, index: int, rule_type: RuleType[Any], data: QueryDict | None = None, rule=None) -> None:
        self.index = index
        self.rule_type = rule_type
        self.prefix = f"rule-{index}"
        meta_initial: dict[str, Any] = {"type": rule_type.key, "severity": Severity.HARD}
        params_initial: dict[str, Any] = {}
        if rule is not None:
            params_initial = rule.type.params_to_json(rule.params)
            meta_initial.update(localized_initial("note", rule.note))
            meta_initial["severity"] = rule.severity
        self.meta = RuleMetaForm(data, prefix=self.prefix, initial=meta_initial)
        self.params = rule_type.form_class(data, prefix=f"{self.prefix}-p", initial=params_initial)
        self.duplicate_error = ""
        # Ticked «remove»: its parameters are not judged, and it is left out when saving.
        self.removed = data is not None and bool(self.meta["DELETE"].value())

    @property
    def label(self):
        return self.rule_type.label

    def is_valid(self) -> bool:
        if self.removed:
            self.meta, self.params = unbound(self.meta), unbound(self.params)  # shown as typed, no errors
            return True
        return all([self.meta.is_valid(), self.params.is_valid()]) and not self.duplicate_error

    def rule(self) -> Rule:
        params = self.rule_type.params_from_cleaned_data(self.params.cleaned_data)
        severity = self.meta.cleaned_data.get("severity") or Severity.HARD
        return Rule(self.rule_type, params, self.meta.localized("note"), severity)

    def unbound(self) -> "RuleEntry":
        """The same entry with what was typed as its initial data, and no errors shown."""
        copy = RuleEntry(index=self.index, rule_type=self.rule_type)
        copy.meta = unbound(self.meta)
        copy.params = unbound(self.params)
        return copy

    def fields(self) -> list[forms.BoundField]:
        return [*self.params, self.meta["severity"], *(self.meta[name] for name in ("note_nb", "note_nn", "note_en"))]

    def errors(self) -> list[str]:
        """Errors of the rule as a whole (not of one field), for the top of the entry."""
        errors = [*self.meta.non_field_errors(), *self.params.non_field_errors()] if self.meta.is_bound else []
        return [*errors, self.duplicate_error] if self.duplicate_error else errors


class RuleSetChangeForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor endres reglene?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vises i historikken sammen med hvem som endret og når."),
        error_messages={"required": _("Skriv hvorfor reglene endres. Det vises i historikken.")},
    )  # fmt: skip
    confirm_open_calls = forms.BooleanField(
        label=_("Jeg vet at utlysningen er åpen, og vil endre reglene likevel"), required=False
    )


class AddRuleForm(forms.Form):
    add_type = forms.ChoiceField(label=_("Ny regel av typen"), choices=())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["add_type"].choices = [(rule_type.key, rule_type.label) for rule_type in rule_types()]


class RuleEditor:
    """Every entry, the «why» form and the «add a rule» form, built from stored rules or a POST."""

    def __init__(self, *, entries: list[RuleEntry], change: RuleSetChangeForm, add: AddRuleForm) -> None:
        self.entries = entries
        self.change = change
        self.add = add

    @classmethod
    def from_rules(cls, rules: Iterable[Rule]) -> "RuleEditor":
        entries = [RuleEntry(index=index, rule_type=rule.type, rule=rule) for index, rule in enumerate(rules)]
        return cls(entries=entries, change=RuleSetChangeForm(), add=AddRuleForm())

    @classmethod
    def from_post(cls, data: QueryDict) -> "RuleEditor":
        """Raises ``ValidationError`` for a post no page of ours sends (a tampered count or type)."""
        try:
            total = int(data.get(TOTAL_FIELD, ""))
        except ValueError:
            raise ValidationError("The rule count is missing.") from None
        if not 0 <= total <= MAX_RULES:
            raise ValidationError("Too many rules.")
        entries = []
        for index in range(total):
            try:
                rule_type = get_rule_type(data.get(f"rule-{index}-type", ""))
            except UnknownRuleType:
                raise ValidationError("Unknown rule type.") from None
            entries.append(RuleEntry(index=index, rule_type=rule_type, data=data))
        return cls(entries=entries, change=RuleSetChangeForm(data), add=AddRuleForm(data))

    @property
    def total(self) -> int:
        return len(self.entries)

    def with_added_rule(self) -> "RuleEditor":
        """The page again, as typed, with an empty entry of the chosen type (no errors shown)."""
        entries = [entry.unbound() for entry in self.entries]
        if self.add.is_valid() and len(entries) < MAX_RULES:
            rule_type = get_rule_type(self.add.cleaned_data["add_type"])
            entries.append(RuleEntry(index=len(entries), rule_type=rule_type))
        return RuleEditor(entries=entries, change=unbound(self.change), add=AddRuleForm())

    def is_valid(self) -> bool:
        entries_valid = [entry.is_valid() for entry in self.entries]  # every entry, so all errors show
        self._check_duplicates()
        return all(entries_valid) and self.change.is_valid() and not any(e.duplicate_error for e in self.entries)

    def _check_duplicates(self) -> None:
        seen: dict[str, RuleEntry] = {}
        for entry in self.entries:
            if entry.removed or not (entry.meta.is_valid() and entry.params.is_valid()):
                continue
            identity = entry.rule().identity
            if identity in seen:
                entry.duplicate_error = str(
                    _("Regelen står allerede lenger opp (regel %(number)s). Hver regel kan bare stå én gang.")
                    % {"number": seen[identity].index + 1}
                )
            else:
                seen[identity] = entry

    @property
    def has_errors(self) -> bool:
        if not self.change.is_bound:
            return False
        return bool(self.change.errors) or any(
            entry.errors() or entry.meta.errors or entry.params.errors for entry in self.entries
        )

    def rules(self) -> list[Rule]:
        return [entry.rule() for entry in self.entries if not entry.removed]

    def add_service_errors(self, error: ValidationError) -> None:
        """Errors from ``ruleset_update`` (the reason, the open-call confirmation) onto the form."""
        if hasattr(error, "error_dict"):
            known = {name: messages for name, messages in error.message_dict.items() if name in self.change.fields}
            other = [m for name, messages in error.message_dict.items() if name not in known for m in messages]
            for name, messages in known.items():
                self.change.add_error(name, messages)
            if other:
                self.change.add_error(None, other)
        else:
            self.change.add_error(None, error.messages)
