"""One section of a form definition as a Django form, in the active language."""

from collections.abc import Mapping
from typing import Any

from django import forms

from portal.forms import DesignsystemetMixin

from .base import Question, Section


class SectionForm(DesignsystemetMixin, forms.Form):
    """Built by ``section_form_class``; field names are the question keys."""

    section: Section
    questions: dict[str, Question]
    answered_elsewhere: tuple[Question, ...]  # partners, budget, attachments: on their own pages
    hidden_keys: frozenset[str] = frozenset()  # questions whose condition does not hold (``hide``)

    def __init__(self, *args, draft: bool = False, **kwargs):
        """``draft``: saving a draft, where an empty answer is allowed (it is listed by «sjekk hele
        søknaden» and stops submission instead); the browser does not insist either."""
        if draft:
            kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        if draft:
            for field in self.fields.values():
                field.required = False

    @classmethod
    def from_answers(cls, answers: Mapping[str, Any], data=None, **kwargs) -> "SectionForm":
        """The form with stored answers shown (as its initial data), bound to ``data`` when given."""
        initial = {
            key: question.type.answer_to_form_value(question, answers[key])
            for key, question in cls.questions.items()
            if key in answers
        }
        return cls(data, initial=initial, **kwargs)

    @property
    def has_conditions(self) -> bool:
        return any(question.condition is not None for question in self.section.questions)

    def hide(self, keys) -> None:
        """Questions that do not apply now: shown with ``hidden`` (what is typed in them is kept and
        posted), neither required nor checked: their errors are dropped."""
        self.hidden_keys = frozenset(keys)
        if self.is_bound and hasattr(self, "_errors") and self._errors is not None:
            for key in self.hidden_keys:
                self._errors.pop(key, None)

    def answers(self) -> dict[str, Any]:
        """The cleaned data as stored JSON, one entry per question of the form (None: not answered)."""
        return {
            key: question.type.answer_from_cleaned(question, self.cleaned_data.get(key))
            for key, question in self.questions.items()
        }

    def entries(self) -> list[tuple[Question, forms.BoundField | None]]:
        """Every question of the section in order, with its field (None when answered elsewhere)."""
        return [(question, self[question.key] if question.key in self.fields else None)
                for question in self.section.questions]  # fmt: skip


def section_form_class(section: Section) -> type[SectionForm]:
    """A form class for ``section``; labels and help are in the language active when it is called."""
    fields: dict[str, Any] = {}
    questions: dict[str, Question] = {}
    elsewhere = []
    for question in section.questions:
        field = question.form_field()
        if field is None:
            elsewhere.append(question)
            continue
        fields[question.key] = field
        questions[question.key] = question
    attrs = {**fields, "section": section, "questions": questions, "answered_elsewhere": tuple(elsewhere)}
    return type(f"SectionForm_{section.key.replace('-', '_')}", (SectionForm,), attrs)
