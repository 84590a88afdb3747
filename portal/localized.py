"""Admin-edited text in three languages: a field ``x`` holds bokmål, ``x_nn`` and ``x_en`` the others.

``localized(obj, "x")`` gives the text in the active language, falling back to bokmål when the
translation is empty, so content is never missing because one translation is. Where the text is
shown in HTML, ``localized_html(obj, "x")`` (the ``localized_html`` template filter) marks such a
fallback with ``lang="nb"``, so a screen reader reads bokmål as bokmål on a nynorsk or English page.
"""

from collections.abc import Mapping

from django.utils import translation
from django.utils.html import format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe

LANGUAGE_SUFFIXES = {"nb": "", "nn": "_nn", "en": "_en"}
SOURCE_LANGUAGE = "nb"


def active_language(language: str | None = None) -> str:
    """The two-letter code of ``language`` or of the active language; bokmål when none is active."""
    code = (language or translation.get_language() or SOURCE_LANGUAGE)[:2]
    return code if code in LANGUAGE_SUFFIXES else SOURCE_LANGUAGE


def localized_with_language(obj, field: str, language: str | None = None) -> tuple[str, str]:
    """The text of ``field`` in the active language and the language it is written in: the active
    one, or ``"nb"`` when the translation is empty and bokmål stands in."""
    language = active_language(language)
    # A model instance, or a dict frozen from one (a submitted version's ``content["call"]``).
    get = obj.get if isinstance(obj, Mapping) else lambda name, default: getattr(obj, name, default)
    text = get(f"{field}{LANGUAGE_SUFFIXES[language]}", "")
    return (text, language) if text else (get(field, "") or "", SOURCE_LANGUAGE)


def localized(obj, field: str, language: str | None = None) -> str:
    return localized_with_language(obj, field, language)[0]


def mark_language(text: str, language: str, *, block: bool = False) -> SafeString:
    """``text`` escaped, and wrapped in an element with ``lang`` when it is not in the active
    language (a ``<div>`` for ``block`` text that holds paragraphs, else a ``<span>``)."""
    if not text or language == active_language():
        return format_html("{}", text)
    return format_html('<{0} lang="{1}">{2}</{0}>', "div" if block else "span", language, text)


def localized_html(obj, field: str, language: str | None = None) -> SafeString:
    """``localized`` for HTML: escaped, a bokmål fallback wrapped in ``<span lang="nb">``."""
    return mark_language(*localized_with_language(obj, field, language))


def localized_paragraphs(obj, field: str) -> SafeString:
    """A longer text as paragraphs (``linebreaks``); a bokmål fallback in ``<div lang="nb">``."""
    text, language = localized_with_language(obj, field)
    paragraphs = mark_safe(linebreaks(text, autoescape=True))  # noqa: S308 - linebreaks escaped the text
    if not text or language == active_language():
        return paragraphs
    return format_html('<div lang="{}">{}</div>', language, paragraphs)
