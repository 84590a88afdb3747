"""Admin-written text in the active language (``portal.localized``)::

    {% load localized %}
    <title>{{ scheme|localized:"name" }}</title>              plain text: titles, attributes, options
    <h1>{{ scheme|localized_html:"name" }}</h1>               a bokmål fallback in <span lang="nb">
    {{ scheme|localized_paragraphs:"description" }}           paragraphs; a fallback in <div lang="nb">
    <title>{{ question.label|text }}</title>                  a LocalizedText as plain text

A ``LocalizedText`` (rule notes, declarations, form questions) marks its own fallback when printed
as ``{{ text }}`` in HTML; ``|text`` is for the few places that take no markup.
"""

from django import template

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
def text(value) -> str:
    """A value as plain text, whatever markup it would give itself in HTML (``__html__``)."""
    return "" if value is None else str(value)
