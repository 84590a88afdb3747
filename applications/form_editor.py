"""The admin's form editor as forms: sections with their questions, each question with its type's
own parameter form. Built like the rule editor (``schemes.rule_forms``), and like it generic over
the registered question types.

Works without JavaScript: «add a section» and «add a question of type X» are submit buttons that
re-render the page with everything as typed plus one empty entry; the order is an order number per
section and per question, applied when saving. Typed values are carried over by rebuilding the
forms unbound with the posted values as their initial data, so no errors show until saving.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from organisations.models import OrganisationKind
from portal.localized_forms import LocalizedTextsMixin, localized_initial, localized_text_fields, unbound
from schemes.eligibility.text import LANGUAGES
from schemes.models import CallStage

from .formdef import (
    FACT_QUESTION_TYPES,
    FormDefinition,
    FormDefinitionError,
    QuestionType,
    fact_errors,
    fact_label,
    get_question_type,
    question_types,
)
from .formdef.conditions import ConditionTextError, condition_from_text, condition_to_text, describe

SECTIONS_TOTAL = "sections-TOTAL"
MAX_SECTIONS = 50  # bounds on what a posted form may ask the server to build
MAX_QUESTIONS_PER_SECTION = 100
KEY_HELP = _("Små bokstaver (a–z), tall og bindestrek. Lagres med svarene: ikke endre den når søknader er i gang.")
CONDITION_HELP = _(
    "Valgfritt. Ett ledd per linje, om tidligere spørsmål (nøkkelen) eller kjente opplysninger: "
    "«kandidat-opptak = sokt, ikke-sokt», «kandidat-fast-ansatt = nei», «varighet > 24», «tittel er besvart», "
    "«@organisasjonstype = kommune», «@trinn = hovedprosjekt», «@partnertype = forskning», "
    "«@egenfinansiering < 50»."
)


class ConditionFieldsMixin:
    """The condition as lines of text and whether all or any of them must hold."""

    def clean_condition(self):
        text = self.cleaned_data.get("condition", "")
        try:
            condition_from_text(text)
        except ConditionTextError as error:
            raise ValidationError(str(error)) from None
        return text

    def condition_json(self) -> dict | None:
        return condition_from_text(
            self.cleaned_data.get("condition", ""), self.cleaned_data.get("condition_match") or "all"
        )


def condition_fields():
    return (
        forms.CharField(label=_("Vises bare når"), required=False, help_text=CONDITION_HELP,
                        widget=forms.Textarea(attrs={"rows": 2})),
        forms.ChoiceField(label=_("Vilkåret gjelder når"), required=False, initial="all",
                          choices=[("all", _("alle leddene stemmer")), ("any", _("minst ett ledd stemmer"))]),
    )  # fmt: skip


class SectionMetaForm(ConditionFieldsMixin, LocalizedTextsMixin, forms.Form):
    optional_texts = ("help",)

    key = forms.SlugField(label=_("Nøkkel"), max_length=50, help_text=KEY_HELP)
    order = forms.IntegerField(label=_("Rekkefølge"), min_value=0, max_value=10_000)
    title_nb, title_nn, title_en = localized_text_fields(_("Tittel"), required=True)
    help_nb, help_nn, help_en = localized_text_fields(_("Hjelpetekst"), textarea=True)
    condition, condition_match = condition_fields()
    DELETE = forms.BooleanField(label=_("Fjern delen med alle spørsmålene når jeg lagrer"), required=False)


class QuestionMetaForm(ConditionFieldsMixin, LocalizedTextsMixin, forms.Form):
    optional_texts = ("help",)

    type = forms.CharField(widget=forms.HiddenInput)
    key = forms.SlugField(label=_("Nøkkel"), max_length=50, help_text=KEY_HELP)
    order = forms.IntegerField(label=_("Rekkefølge"), min_value=0, max_value=10_000)
    label_nb, label_nn, label_en = localized_text_fields(_("Spørsmål"), required=True)
    help_nb, help_nn, help_en = localized_text_fields(_("Hjelpetekst"), textarea=True)
    required = forms.BooleanField(label=_("Må besvares"), required=False)
    fact = forms.ChoiceField(
        label=_("Brukes av reglene som"), required=False, choices=(),
        help_text=_("Valgfritt. Svaret blir opplysningen reglene for å søke leser, for eksempel prosjektets varighet."),
    )  # fmt: skip
    condition, condition_match = condition_fields()
    DELETE = forms.BooleanField(label=_("Fjern spørsmålet når jeg lagrer"), required=False)

    def __init__(self, *args, declaration_keys: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        facts = [*FACT_QUESTION_TYPES, *(f"declaration:{key}" for key in declaration_keys)]
        current = self["fact"].value()
        if current and current not in facts:
            facts.append(current)  # kept as stored; checked against the type when saving
        self.fields["fact"].choices = [("", _("Ingen")), *((fact, fact_label(fact)) for fact in facts)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        fact, type_key = cleaned.get("fact"), cleaned.get("type")
        if fact and type_key:
            for message in fact_errors(fact, type_key):
                self.add_error("fact", message)
        return cleaned


class QuestionEntry:
    def __init__(self, *, prefix: str, question_type: QuestionType, data: QueryDict | None = None,
                 stored: dict[str, Any] | None = None, order: int = 10,
                 declaration_keys: tuple[str, ...] = ()) -> None:  # fmt: skip
        self.prefix = prefix
        self.declaration_keys = declaration_keys
        self.question_type = question_type
        meta_initial: dict[str, Any] = {"type": question_type.key, "order": order, "required": True}
        params_initial: dict[str, Any] = {}
        if stored is not None:
            meta_initial.update({"key": stored["key"], "required": stored.get("required", True),
                                 "fact": stored.get("fact", ""),
                                 "condition": condition_to_text(stored.get("condition")),
                                 "condition_match": (stored.get("condition") or {}).get("match", "all")})  # fmt: skip
            meta_initial.update(localized_initial("label", stored.get("label")))
            meta_initial.update(localized_initial("help", stored.get("help")))
            params_initial = question_type.params_to_form_data(stored.get("params", {}))
        self.meta = QuestionMetaForm(data, prefix=prefix, initial=meta_initial, declaration_keys=declaration_keys)
        self.params = question_type.params_form(data, prefix=f"{prefix}-p", initial=params_initial)
        self.removed = data is not None and bool(self.meta["DELETE"].value())
        self.summary = ""  # «Vises bare når: …», set by ``FormEditor.from_definition``

    @property
    def label(self):
        return self.question_type.label

    def fields(self) -> list[forms.BoundField]:
        meta = self.meta
        return [meta["key"], meta["order"], *(meta[f"label_{lang}"] for lang in LANGUAGES),
                *(meta[f"help_{lang}"] for lang in LANGUAGES), meta["required"], *self.params,
                meta["fact"], meta["condition"], meta["condition_match"]]  # fmt: skip

    def is_valid(self) -> bool:
        if self.removed:
            self.meta, self.params = unbound(self.meta), unbound(self.params)
            return True
        return all([self.meta.is_valid(), self.params.is_valid()])

    def unbound(self) -> "QuestionEntry":
        copy = QuestionEntry(prefix=self.prefix, question_type=self.question_type,
                             declaration_keys=self.declaration_keys)  # fmt: skip
        copy.meta, copy.params = unbound(self.meta), unbound(self.params)
        return copy

    def to_json(self) -> dict[str, Any]:
        cleaned = self.meta.cleaned_data
        data: dict[str, Any] = {"key": cleaned["key"], "type": self.question_type.key,
                                "label": self.meta.localized("label").to_json()}  # fmt: skip
        if help_text := self.meta.localized("help"):
            data["help"] = help_text.to_json()
        data["required"] = cleaned["required"]
        data["params"] = self.question_type.params_from_cleaned_data(self.params.cleaned_data)
        if cleaned.get("fact"):
            data["fact"] = cleaned["fact"]
        if condition := self.meta.condition_json():
            data["condition"] = condition
        return data

    def errors(self) -> list[str]:
        return [*self.meta.non_field_errors(), *self.params.non_field_errors()] if self.meta.is_bound else []


class AddQuestionForm(forms.Form):
    add_type = forms.ChoiceField(label=_("Nytt spørsmål av typen"), choices=())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["add_type"].choices = [(t.key, t.label) for t in question_types()]


class SectionEntry:
    def __init__(self, *, index: int, data: QueryDict | None = None, stored: dict[str, Any] | None = None,
                 questions: list[QuestionEntry] | None = None) -> None:  # fmt: skip
        self.index = index
        self.prefix = f"s{index}"
        initial: dict[str, Any] = {"order": (index + 1) * 10}
        if stored is not None:
            initial["key"] = stored["key"]
            initial.update(localized_initial("title", stored.get("title")))
            initial.update(localized_initial("help", stored.get("help")))
            initial["condition"] = condition_to_text(stored.get("condition"))
            initial["condition_match"] = (stored.get("condition") or {}).get("match", "all")
        self.meta = SectionMetaForm(data, prefix=self.prefix, initial=initial)
        self.summary = ""
        self.add = AddQuestionForm(data, prefix=self.prefix)
        self.questions = questions or []
        self.removed = data is not None and bool(self.meta["DELETE"].value())

    @property
    def total_field(self) -> str:
        return f"{self.prefix}-questions-TOTAL"

    def question_prefix(self, number: int) -> str:
        return f"{self.prefix}-q{number}"

    def fields(self) -> list[forms.BoundField]:
        meta = self.meta
        return [meta["key"], meta["order"], *(meta[f"title_{lang}"] for lang in LANGUAGES),
                *(meta[f"help_{lang}"] for lang in LANGUAGES), meta["condition"], meta["condition_match"]]  # fmt: skip

    def is_valid(self) -> bool:
        if self.removed:
            self.meta = unbound(self.meta)
            self.questions = [question.unbound() for question in self.questions]
            return True
        valid = [question.is_valid() for question in self.questions]  # every one, so all errors show
        return self.meta.is_valid() and all(valid)

    def unbound(self) -> "SectionEntry":
        copy = SectionEntry(index=self.index, questions=[question.unbound() for question in self.questions])
        copy.meta = unbound(self.meta)
        return copy

    def to_json(self) -> dict[str, Any]:
        cleaned = self.meta.cleaned_data
        data: dict[str, Any] = {"key": cleaned["key"], "title": self.meta.localized("title").to_json()}
        if help_text := self.meta.localized("help"):
            data["help"] = help_text.to_json()
        if condition := self.meta.condition_json():
            data["condition"] = condition
        kept = [(q.meta.cleaned_data["order"], n, q) for n, q in enumerate(self.questions) if not q.removed]
        data["questions"] = [question.to_json() for _order, _n, question in sorted(kept, key=lambda t: t[:2])]
        return data


class FormEditor:
    """Every section with its questions, built from a stored definition or from a POST."""

    def __init__(self, *, sections: list[SectionEntry], declaration_keys: tuple[str, ...] = ()) -> None:
        self.sections = sections
        self.declaration_keys = declaration_keys
        self.definition_errors: list[str] = []
        self.bound = False

    @classmethod
    def from_definition(cls, definition: dict[str, Any], *, declaration_keys: tuple[str, ...] = ()) -> "FormEditor":
        """``declaration_keys``: the declarations the call's rules ask for (offered as facts)."""
        sections = []
        for index, section in enumerate(definition.get("sections", [])):
            entry = SectionEntry(index=index, stored=section)
            entry.questions = [
                QuestionEntry(
                    prefix=entry.question_prefix(n),
                    question_type=get_question_type(q["type"]),
                    stored=q,
                    order=(n + 1) * 10,
                    declaration_keys=declaration_keys,
                )
                for n, q in enumerate(section.get("questions", []))
            ]
            sections.append(entry)
        _add_summaries(sections, definition)
        return cls(sections=sections, declaration_keys=declaration_keys)

    @classmethod
    def from_post(cls, data: QueryDict, *, declaration_keys: tuple[str, ...] = ()) -> "FormEditor":
        """Raises ``ValidationError`` for a post no page of ours sends (a tampered count or type)."""
        total = _count(data, SECTIONS_TOTAL, MAX_SECTIONS)
        sections = []
        for index in range(total):
            entry = SectionEntry(index=index, data=data)
            for number in range(_count(data, entry.total_field, MAX_QUESTIONS_PER_SECTION)):
                prefix = entry.question_prefix(number)
                try:
                    question_type = get_question_type(data.get(f"{prefix}-type", ""))
                except FormDefinitionError:
                    raise ValidationError("Unknown question type.") from None
                entry.questions.append(QuestionEntry(prefix=prefix, question_type=question_type, data=data,
                                                     declaration_keys=declaration_keys))  # fmt: skip
            sections.append(entry)
        editor = cls(sections=sections, declaration_keys=declaration_keys)
        editor.bound = True
        return editor

    @property
    def total(self) -> int:
        return len(self.sections)

    def with_added_section(self) -> "FormEditor":
        sections = [section.unbound() for section in self.sections]
        if len(sections) < MAX_SECTIONS:
            sections.append(SectionEntry(index=len(sections)))
        return FormEditor(sections=sections, declaration_keys=self.declaration_keys)

    def with_added_question(self, section_index: int) -> "FormEditor":
        sections = [section.unbound() for section in self.sections]
        if 0 <= section_index < len(self.sections):
            add = self.sections[section_index].add
            target = sections[section_index]
            if add.is_valid() and len(target.questions) < MAX_QUESTIONS_PER_SECTION:
                number = len(target.questions)
                target.questions.append(
                    QuestionEntry(
                        prefix=target.question_prefix(number),
                        order=(number + 1) * 10,
                        question_type=get_question_type(add.cleaned_data["add_type"]),
                        declaration_keys=self.declaration_keys,
                    )
                )
        return FormEditor(sections=sections, declaration_keys=self.declaration_keys)

    def is_valid(self) -> bool:
        valid = [section.is_valid() for section in self.sections]
        if not all(valid):
            return False
        try:
            FormDefinition.from_json(self.definition())
        except FormDefinitionError as error:  # duplicate keys, and anything only the whole form shows
            self.definition_errors = error.messages
            return False
        return True

    def definition(self) -> dict[str, Any]:
        kept = [(s.meta.cleaned_data["order"], n, s) for n, s in enumerate(self.sections) if not s.removed]
        return {"sections": [section.to_json() for _order, _n, section in sorted(kept, key=lambda t: t[:2])]}

    def add_service_errors(self, error: ValidationError) -> None:
        self.definition_errors = [*self.definition_errors, *error.messages]

    @property
    def has_errors(self) -> bool:
        if not self.bound:
            return False
        return bool(self.definition_errors) or any(
            section.meta.errors or any(q.meta.errors or q.params.errors for q in section.questions)
            for section in self.sections
        )


def _add_summaries(sections: list[SectionEntry], definition: dict[str, Any]) -> None:
    """Each entry's condition in words («Vises bare når: Kandidaten er tatt opp = Nei»), when the
    stored definition can be read."""
    try:
        form = FormDefinition.from_json(definition)
    except FormDefinitionError:
        return
    questions = {question.key: question for _section, question in form.questions()}
    kinds = {"organisation-kind": dict(OrganisationKind.choices), "stage": dict(CallStage.Kind.choices),
             "partner-kind": dict(OrganisationKind.choices)}  # fmt: skip
    for entry, section in zip(sections, form.sections, strict=False):
        entry.summary = describe(section.condition, questions, kinds)
        for question_entry, question in zip(entry.questions, section.questions, strict=False):
            question_entry.summary = describe(question.condition, questions, kinds)


def _count(data: QueryDict, name: str, maximum: int) -> int:
    try:
        total = int(data.get(name, ""))
    except ValueError:
        raise ValidationError(f"{name} is missing.") from None
    if not 0 <= total <= maximum:
        raise ValidationError(f"{name} is out of range.")
    return total
