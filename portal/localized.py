"""Admin-edited text in three languages: a field ``x`` holds bokmål, ``x_nn`` and ``x_en`` the others.

``localized(obj, "x")`` gives the text in the active language, falling back to bokmål when the
translation is empty, so content is never missing because one translation is.
"""

from django.utils import translation

LANGUAGE_SUFFIXES = {"nb": "", "nn": "_nn", "en": "_en"}


def localized(obj, field: str, language: str | None = None) -> str:
    language = language or translation.get_language() or "nb"
    suffix = LANGUAGE_SUFFIXES.get(language[:2], "")
    return getattr(obj, f"{field}{suffix}", "") or getattr(obj, field, "")
