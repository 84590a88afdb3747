"""Texts of the eligibility engine: explanations rendered late, admin-written texts per language.

An explanation is kept as a translatable message plus its raw values and only turned into text when
it is shown (``str(explanation)``). Evaluating stays cheap, and the same result reads in bokmål,
nynorsk or English depending on the language active where it is rendered.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext

from organisations.models import OrganisationKind
from portal.localized import mark_language
from portal.numbers import format_number

LANGUAGES = ("nb", "nn", "en")
_KIND_ORDER = {kind: position for position, kind in enumerate(OrganisationKind)}


class LocalizedText(NamedTuple):
    """A text written by an administrator in bokmål, nynorsk and English; bokmål is the fallback."""

    nb: str
    nn: str = ""
    en: str = ""

    def __str__(self) -> str:
        return getattr(self, self.language)

    @property
    def language(self) -> str:
        """The language the text is shown in: the active one, or ``"nb"`` when its translation is empty."""
        language = (get_language() or "nb").split("-")[0]
        return language if language in LANGUAGES and getattr(self, language) else "nb"

    def __html__(self) -> str:
        """The text in HTML (``conditional_escape``, ``format_html``, ``{{ text|marked }}`` in a
        template): escaped, and a bokmål fallback on a nynorsk or English page wrapped in
        ``<span lang="nb">``. ``str()`` and a plain ``{{ text }}`` give the text alone."""
        return mark_language(str(self), self.language)

    def to_json(self) -> dict[str, str]:
        return {language: text for language in LANGUAGES if (text := getattr(self, language))}

    @classmethod
    def from_json(cls, data: Mapping[str, str]) -> "LocalizedText":
        unknown = set(data) - set(LANGUAGES)
        if unknown or not isinstance(data.get("nb"), str) or not data["nb"].strip():
            raise ValueError(f"A localized text needs a non-empty 'nb' and only {LANGUAGES} keys, got {dict(data)!r}")
        return cls(**{language: str(data.get(language, "")) for language in LANGUAGES})


class Explanation(NamedTuple):
    """A translatable message (bokmål source) with the values it names, rendered by ``str()``.

    ``message`` is a ``gettext_lazy`` string, or an ``ngettext_lazy(..., "n")`` string whose plural
    form is chosen by ``n`` (a raw count; the text itself uses the formatted values).
    """

    message: Promise | str
    values: Mapping[str, Any] = {}  # shared default, never mutated
    n: int | None = None

    def __str__(self) -> str:
        rendered: dict[str, Any] = {name: render_value(value) for name, value in self.values.items()}
        if self.n is not None:
            rendered["n"] = self.n
        return self.message % rendered

    def __html__(self) -> str:
        """The sentence in HTML: escaped, with an administrator's text inside it (a declaration's
        statement) marked ``lang="nb"`` where it falls back to bokmål."""
        placeholders: dict[str, Any] = {name: f"\x00{name}\x00" for name in self.values}
        if self.n is not None:
            placeholders["n"] = self.n  # chooses the plural form and is printed as a number
        html = conditional_escape(self.message % placeholders)
        for name, value in self.values.items():
            part = value.__html__() if isinstance(value, LocalizedText) else conditional_escape(render_value(value))
            html = html.replace(f"\x00{name}\x00", part)
        return mark_safe(html)  # noqa: S308 - the sentence and every value in it are escaped


def render_value(value: Any) -> str:
    """A value as it reads inside a sentence, in the active language: 1 250 000, 33,5, kommune."""
    if isinstance(value, OrganisationKind):
        return str(value.label).lower()
    if isinstance(value, LocalizedText):
        return str(value)
    if isinstance(value, bool):
        raise TypeError("Booleans are not rendered into explanations; choose the sentence instead.")
    if isinstance(value, Decimal | int):
        return format_number(value)
    if isinstance(value, frozenset | set | tuple | list):
        return join_words(render_value(item) for item in sort_kinds(value))
    return str(value)


def sort_kinds(values: Iterable[Any]) -> list[Any]:
    """Organisation kinds in the order they are declared (kommune before statlig virksomhet)."""
    return sorted(values, key=lambda value: _KIND_ORDER.get(value, len(_KIND_ORDER)))


def join_words(words: Iterable[str]) -> str:
    """«kommune», «kommune og fylkeskommune», «kommune, fylkeskommune og statlig virksomhet»."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return pgettext("list of alternatives", "%(items)s og %(last)s") % {
        "items": ", ".join(words[:-1]),
        "last": words[-1],
    }
