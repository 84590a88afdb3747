"""A call's application form as data: sections of questions of registered types.

    from applications.formdef import FormDefinition, problems, section_form_class

    definition = FormDefinition.from_json(call_form.definition)   # FormDefinitionError if unusable
    SectionForm = section_form_class(definition.sections[0])      # labels in the active language
    form = SectionForm.from_answers(answers, data=request.POST)
    if form.is_valid():
        answers.update(form.answers())
    problems(definition, answers)  # «sjekk hele søknaden»: [Problem(section_key, question_key, message)]

Pure Python: no database access anywhere in this package.

Adding a question type: a ``@register``-ed ``QuestionType`` subclass in ``types`` with a new
``key``, its ``params_form`` and ``form_field`` (or ``answered_elsewhere = True``); then an example
in ``tests/applications/test_formdef_types.py``, whose completeness test fails until it exists.
"""

from . import types  # noqa: F401  (importing registers the question types)
from .base import (
    FACT_QUESTION_TYPES,
    FormDefinition,
    FormDefinitionError,
    Problem,
    Question,
    QuestionType,
    Section,
    UnknownQuestionType,
    declaration_key,
    fact_errors,
    fact_label,
    fact_question_type,
    get_question_type,
    problems,
    question_types,
    register,
)
from .conditions import Condition, applicable_answers, applicable_keys, facts_of, section_applies, uses_fact
from .forms import SectionForm, section_form_class

__all__ = [
    "FACT_QUESTION_TYPES",
    "Condition",
    "FormDefinition",
    "FormDefinitionError",
    "Problem",
    "Question",
    "QuestionType",
    "Section",
    "SectionForm",
    "UnknownQuestionType",
    "applicable_answers",
    "applicable_keys",
    "declaration_key",
    "fact_errors",
    "fact_label",
    "fact_question_type",
    "facts_of",
    "get_question_type",
    "problems",
    "question_types",
    "register",
    "section_applies",
    "section_form_class",
    "uses_fact",
]
