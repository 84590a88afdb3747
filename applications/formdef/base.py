"""Question types, the registry, and a call's form definition as data.

A question *type* (``QuestionType`` subclass, in ``types``) is code: the parameters an administrator
sets (its ``params_form``), the Django field an applicant answers it with, how an answer is stored
as JSON and when it counts as answered. A *form definition* is data: ordered sections of questions,
stored as JSON on ``applications.CallForm`` and copied into each application when it is created.

Stored shape (every text is ``{"nb": ..., "nn": ..., "en": ...}`` with a non-empty ``nb``)::

    {"sections": [
        {"key": "om-prosjektet", "title": {...}, "help": {...} (optional),
         "questions": [
            {"key": "tittel", "type": "short-text", "label": {...}, "help": {...} (optional),
             "required": true, "params": {"max_length": 200},
             "fact": "duration_months" (optional),
             "condition": {"match": "all", "terms": [...]} (optional)}]}]}

``fact`` (optional) names the eligibility fact the answer provides (``FACT_QUESTION_TYPES``, or
``declaration:<key>`` on a yes-no question for the declaration rule with that key); each fact is
provided by at most one question of the form.

``condition`` (optional, on a question or a section): asked only when it holds, read from earlier
answers and known facts (``conditions``). A question that does not apply is neither required nor
checked; its answer stays in the draft but is left out of what is submitted.

Keys are slug-like (``a-z``, ``0-9``, ``-``), section keys unique in the form and question keys
unique in the whole form: answers are one object from question key to answer, across sections.

Pure Python: no database access anywhere in this package.
"""

import re
from abc import ABC
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from schemes.eligibility.text import LocalizedText

from .conditions import Condition, applicable_keys, read_condition

KEY_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")
MAX_SECTIONS = 50
MAX_QUESTIONS = 200


# The facts an answer can provide, and the question type that provides each (``schemes.facts`` reads them).
FACT_QUESTION_TYPES: dict[str, str] = {
    "duration_months": "number",
    "candidate_permanently_employed": "yes-no",
    "candidate_has_doctorate": "yes-no",
    "previous_stage_completed": "yes-no",
}
DECLARATION_FACT_PREFIX = "declaration:"
DECLARATION_QUESTION_TYPE = "yes-no"
FACT_LABELS = {
    "duration_months": gettext_lazy("Prosjektets varighet i måneder"),
    "candidate_permanently_employed": gettext_lazy("Kandidaten er fast ansatt hos søkeren"),
    "candidate_has_doctorate": gettext_lazy("Kandidaten har doktorgrad fra før"),
    "previous_stage_completed": gettext_lazy("Forprosjektet er gjennomført"),
}


def declaration_key(fact: str | None) -> str | None:
    """``"declaration:forankret"`` → ``"forankret"``; None for any other fact."""
    if fact and fact.startswith(DECLARATION_FACT_PREFIX):
        return fact.removeprefix(DECLARATION_FACT_PREFIX)
    return None


def fact_question_type(fact: str) -> str | None:
    """The question type key that can provide ``fact``; None when no such fact exists."""
    key = declaration_key(fact)
    if key is not None:
        return DECLARATION_QUESTION_TYPE if KEY_PATTERN.match(key) else None
    return FACT_QUESTION_TYPES.get(fact)


def fact_label(fact: str) -> str:
    """The fact in words for the administrator («Erklæring: forankret-i-toppledelsen»)."""
    key = declaration_key(fact)
    if key is not None:
        return gettext("Erklæring: %(key)s") % {"key": key}
    return str(FACT_LABELS.get(fact, fact))


def fact_errors(fact: Any, type_key: str) -> list[str]:
    """What is wrong with ``fact`` on a question of type ``type_key`` (empty when it fits), in Norwegian
    sentences without the place (the caller adds it)."""
    if not isinstance(fact, str) or fact_question_type(fact) is None:
        return [gettext("«%(fact)s» er ikke et opplysningsnavn reglene kjenner.") % {"fact": fact}]
    wanted = fact_question_type(fact)
    if wanted != type_key:
        wanted_label = _REGISTRY[wanted].label if wanted in _REGISTRY else wanted
        return [
            gettext("«%(fact)s» må gis av et spørsmål av typen «%(type)s».")
            % {"fact": fact_label(fact), "type": wanted_label}
        ]
    return []


class FormDefinitionError(ValueError):
    """A form definition that cannot be used; ``messages`` are in the active language, each naming
    the section and question it is about, for the administrator who wrote it."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class UnknownQuestionType(FormDefinitionError):
    def __init__(self, key: object, where: str) -> None:
        known = ", ".join(sorted(_REGISTRY))
        super().__init__(
            [gettext("%(where)s har en ukjent spørsmålstype «%(key)s». Kjente typer: %(known)s.")
             % {"where": where, "key": key, "known": known}]
        )  # fmt: skip
        self.key = key


class QuestionType(ABC):
    """One kind of question. Subclasses set the class attributes and override what differs.

    ``answered_elsewhere`` types (partners, budget, attachments) have no field in the section form:
    their answers are written by their own pages, and only ``is_answered`` and ``stored_errors``
    read them here.
    """

    key: ClassVar[str]  # stable: it is stored in the database
    label: ClassVar[Promise | str]
    params_form: ClassVar[type[forms.Form]]
    answered_elsewhere: ClassVar[bool] = False

    # --- parameters: stored JSON and typed-in data both go through ``params_form`` ---------------
    def params_to_form_data(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Stored parameters as the params form's data (or initial data)."""
        return {name: value for name, value in params.items() if value is not None}

    def params_from_cleaned_data(self, cleaned_data: Mapping[str, Any]) -> dict[str, Any]:
        """The params form's cleaned data as the JSON that is stored."""
        return {name: _json_value(value) for name, value in cleaned_data.items() if value not in (None, "")}

    def params_from_json(self, params: Any, *, where: str = "") -> dict[str, Any]:
        if not isinstance(params, Mapping):
            raise FormDefinitionError([gettext("%(where)s: innstillingene må være et objekt.") % {"where": where}])
        unknown = set(params) - set(self.params_form.base_fields)
        form = self.params_form(data=self.params_to_form_data(params))
        unknown_message = gettext("%(where)s: ukjent innstilling «%(name)s».")
        messages = [unknown_message % {"where": where, "name": name} for name in sorted(unknown)]
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for error in errors:
                    messages.append(f"{where}: {label + ': ' if label else ''}{error}")
        if messages:
            raise FormDefinitionError(messages)
        return self.params_from_cleaned_data(form.cleaned_data)

    # --- answering --------------------------------------------------------------------------------
    def form_field(self, question: "Question") -> forms.Field | None:
        """The field an applicant answers with (labels in the active language); None when answered elsewhere."""
        return None

    def answer_from_cleaned(self, question: "Question", value: Any) -> Any:
        """A field's cleaned value as the JSON that is stored (None: not answered)."""
        return _json_value(value) if value not in ("", [], None) else None

    def answer_to_form_value(self, question: "Question", value: Any) -> Any:
        """A stored answer as the field's data (to show it again, and to re-check it)."""
        return value

    def is_answered(self, value: Any) -> bool:
        return value not in (None, "", [], {})

    def stored_errors(self, question: "Question", value: Any) -> list[str]:
        """What is wrong with an answered, stored value now (e.g. longer than a changed limit)."""
        field = self.form_field(question)
        if field is None:
            return []
        try:
            field.clean(self.answer_to_form_value(question, value))
        except ValidationError as error:
            return list(error.messages)
        return []

    def __repr__(self) -> str:
        return f"<question type {self.key}>"


_REGISTRY: dict[str, QuestionType] = {}


def register[T: type[QuestionType]](cls: T) -> T:
    """Class decorator: make a question type available under its ``key``."""
    if cls.key in _REGISTRY:
        raise ValueError(f"Question type key {cls.key!r} is registered twice.")
    _REGISTRY[cls.key] = cls()
    return cls


def get_question_type(key: str, *, where: str = "") -> QuestionType:
    try:
        return _REGISTRY[key]
    except (KeyError, TypeError):
        raise UnknownQuestionType(key, where or gettext("Et spørsmål")) from None


def question_types() -> tuple[QuestionType, ...]:
    """Every registered question type, in registration order (for the admin's choice of type)."""
    return tuple(_REGISTRY.values())


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    type: QuestionType
    label: LocalizedText
    help: LocalizedText | None = None
    required: bool = True
    params: Mapping[str, Any] = field(default_factory=dict)
    fact: str | None = None
    condition: Condition | None = None

    def form_field(self) -> forms.Field | None:
        return self.type.form_field(self)

    def is_answered(self, value: Any) -> bool:
        return self.type.is_answered(value)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "type": self.type.key, "label": self.label.to_json()}
        if self.help is not None:
            data["help"] = self.help.to_json()
        data.update({"required": self.required, "params": dict(self.params)})
        if self.fact is not None:
            data["fact"] = self.fact
        if self.condition is not None:
            data["condition"] = self.condition.to_json()
        return data


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: LocalizedText
    help: LocalizedText | None = None
    questions: tuple[Question, ...] = ()
    condition: Condition | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "title": self.title.to_json()}
        if self.help is not None:
            data["help"] = self.help.to_json()
        if self.condition is not None:
            data["condition"] = self.condition.to_json()
        data["questions"] = [question.to_json() for question in self.questions]
        return data


@dataclass(frozen=True, slots=True)
class FormDefinition:
    sections: tuple[Section, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"sections": [section.to_json() for section in self.sections]}

    @classmethod
    def from_json(cls, data: Any) -> "FormDefinition":
        """Raises ``FormDefinitionError`` listing every problem found, each naming where it is."""
        return _Reader().definition(data)

    def questions(self) -> list[tuple[Section, Question]]:
        return [(section, question) for section in self.sections for question in section.questions]

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def question_for_fact(self, fact: str) -> tuple[Section, Question] | None:
        """The section and question that provide ``fact``, if any."""
        return next(((s, q) for s, q in self.questions() if q.fact == fact), None)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something missing or wrong in an application's answers, for «sjekk hele søknaden»."""

    section_key: str
    question_key: str
    message: str


def problems(
    definition: FormDefinition, answers: Mapping[str, Any], facts: Mapping[str, Any] | None = None
) -> list[Problem]:
    """Missing required answers and stored answers that no longer pass, in the form's order. A
    question whose condition (or whose section's condition) does not hold is neither required nor
    checked; ``facts``: what conditions read besides answers (``conditions.facts_of``)."""
    found = []
    applies = applicable_keys(definition, answers, facts)
    for section, question in definition.questions():
        if question.key not in applies:
            continue
        value = answers.get(question.key)
        if not question.is_answered(value):
            if question.required:
                found.append(Problem(section.key, question.key, gettext("Må fylles ut.")))
            continue
        for message in question.type.stored_errors(question, value):
            found.append(Problem(section.key, question.key, str(message)))
    return found


class _Reader:
    """Reads stored JSON, collecting every error (so the administrator sees all of them at once)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.facts: dict[str, str] = {}
        self.earlier: dict[str, Question] = {}

    def definition(self, data: Any) -> FormDefinition:
        if not isinstance(data, Mapping) or not isinstance(data.get("sections"), list):
            raise FormDefinitionError([gettext("Skjemaet må være et objekt med en liste «sections».")])
        if len(data["sections"]) > MAX_SECTIONS:
            raise FormDefinitionError([gettext("Skjemaet kan ha høyst %(n)s deler.") % {"n": MAX_SECTIONS}])
        unknown = set(data) - {"sections"}
        if unknown:
            self.errors.append(gettext("Ukjente felt i skjemaet: %(names)s.") % {"names": ", ".join(sorted(unknown))})
        section_keys: set[str] = set()
        question_keys: dict[str, str] = {}
        sections = []
        for number, item in enumerate(data["sections"], start=1):
            section = self.section(number, item, section_keys, question_keys)
            if section is not None:
                sections.append(section)
        if sum(len(section.questions) for section in sections) > MAX_QUESTIONS:
            self.errors.append(gettext("Skjemaet kan ha høyst %(n)s spørsmål.") % {"n": MAX_QUESTIONS})
        if self.errors:
            raise FormDefinitionError(self.errors)
        return FormDefinition(tuple(sections))

    def section(self, number: int, item: Any, section_keys: set[str], question_keys: dict[str, str]):
        where = gettext("Del %(number)s") % {"number": number}
        if not isinstance(item, Mapping):
            self.errors.append(gettext("%(where)s må være et objekt.") % {"where": where})
            return None
        key = self.key(item.get("key"), where, section_keys)
        if key:
            where = gettext("Del %(number)s («%(key)s»)") % {"number": number, "key": key}
        title = self.text(item.get("title"), where, gettext("tittelen"), required=True)
        help_text = self.text(item.get("help"), where, gettext("hjelpeteksten"), required=False)
        self.unknown(item, {"key", "title", "help", "questions", "condition"}, where)
        condition, condition_errors = read_condition(item.get("condition"), where, self.earlier, None)
        self.errors.extend(condition_errors)
        raw_questions = item.get("questions", [])
        if not isinstance(raw_questions, list):
            self.errors.append(gettext("%(where)s: «questions» må være en liste.") % {"where": where})
            raw_questions = []
        questions = []
        for q_number, raw in enumerate(raw_questions, start=1):
            question = self.question(where, q_number, raw, question_keys)
            if question is not None:
                questions.append(question)
        if key and title:
            return Section(key, title, help_text, tuple(questions), condition)
        return None

    def question(self, section_where: str, number: int, item: Any, question_keys: dict[str, str]):
        where = gettext("%(section)s, spørsmål %(number)s") % {"section": section_where, "number": number}
        if not isinstance(item, Mapping):
            self.errors.append(gettext("%(where)s må være et objekt.") % {"where": where})
            return None
        key = self.key(item.get("key"), where, question_keys)
        if key:
            question_keys.setdefault(key, where)
            where = gettext("%(section)s, spørsmål %(number)s («%(key)s»)") % {
                "section": section_where, "number": number, "key": key,
            }  # fmt: skip
        label = self.text(item.get("label"), where, gettext("spørsmålsteksten"), required=True)
        help_text = self.text(item.get("help"), where, gettext("hjelpeteksten"), required=False)
        required = item.get("required", True)
        if not isinstance(required, bool):
            self.errors.append(gettext("%(where)s: «required» må være true eller false.") % {"where": where})
        self.unknown(item, {"key", "type", "label", "help", "required", "params", "fact", "condition"}, where)
        condition, condition_errors = read_condition(item.get("condition"), where, self.earlier, key)
        self.errors.extend(condition_errors)
        try:
            question_type = get_question_type(item.get("type"), where=where)
            params = question_type.params_from_json(item.get("params", {}), where=where)
        except FormDefinitionError as error:
            self.errors.extend(error.messages)
            return None
        fact = item.get("fact")
        fact_ok = fact is None or self.fact(fact, question_type, where)
        if key and label and isinstance(required, bool) and fact_ok and not condition_errors:
            question = Question(key, question_type, label, help_text, required, params, fact, condition)
            self.earlier[key] = question
            return question
        return None

    def fact(self, fact: Any, question_type: QuestionType, where: str) -> bool:
        messages = fact_errors(fact, question_type.key)
        if not messages and fact in self.facts:
            messages = [
                gettext("«%(fact)s» gis allerede av %(other)s.") % {"fact": fact_label(fact), "other": self.facts[fact]}
            ]
        self.errors.extend(f"{where}: {message}" for message in messages)
        if not messages:
            self.facts[fact] = where
        return not messages

    def key(self, key: Any, where: str, seen) -> str | None:
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            self.errors.append(
                gettext("%(where)s: nøkkelen «%(key)s» må være 1–50 små bokstaver (a–z), tall og bindestrek.")
                % {"where": where, "key": key if key is not None else ""}
            )
            return None
        if key in seen:
            self.errors.append(gettext("%(where)s: nøkkelen «%(key)s» er brukt før.") % {"where": where, "key": key})
            return None
        if isinstance(seen, set):
            seen.add(key)
        return key

    def text(self, data: Any, where: str, what: str, *, required: bool) -> LocalizedText | None:
        if data is None and not required:
            return None
        try:
            return LocalizedText.from_json(data)
        except (ValueError, TypeError, AttributeError):
            self.errors.append(gettext("%(where)s: %(what)s må ha tekst på bokmål.") % {"where": where, "what": what})
            return None

    def unknown(self, item: Mapping[str, Any], known: set[str], where: str) -> None:
        unknown = set(item) - known
        if unknown:
            self.errors.append(
                gettext("%(where)s: ukjente felt %(names)s.") % {"where": where, "names": ", ".join(sorted(unknown))}
            )


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value.normalize())
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return value
