"""Admin-written text in the active language (``portal.localized``)::

    {% load localized %}
    <title>{{ scheme|localized:"name" }}</title>              plain text: titles, attributes, options
    <h1>{{ scheme|localized_html:"name" }}</h1>               a bokmål fallback in <span lang="nb">
    {{ scheme|localized_paragraphs:"description" }}           paragraphs; a fallback in <div lang="nb">
    <h1>{{ question.label|marked }}</h1>                       a LocalizedText or an Explanation, marked

A ``LocalizedText`` (rule notes, declarations, form questions) printed as ``{{ text }}`` is plain
text (Django turns an object that is not a string into ``str`` before escaping it), which titles and
attributes need; ``|marked`` gives its HTML (``__html__``) with a bokmål fallback marked.
"""

from django import template
from django.utils.html import conditional_escape

from portal import localized as texts

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    return texts.localized(obj, field) if obj is not None else ""


@register.filter
def localized_html(obj, field: str) -> str:
    return texts.localized_html(obj, field) if obj is not None else ""


@register.filter
def localized_paragraphs(obj, field: str) -> str:
    return texts.localized_paragraphs(obj, field) if obj is not None else ""


@register.filter
def marked(value) -> str:
    """A value's own HTML (``__html__``: a LocalizedText or Explanation marks a bokmål fallback
    ``lang="nb"``), or the value escaped."""
    return "" if value is None else conditional_escape(value)
