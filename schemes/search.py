"""What the catalogue's search looks in: a scheme's stored search documents (``portal.textsearch``).

Four documents, from the strongest place a word can be found to the weakest: the name; the short
description; the description, the calls' titles and the names of the scheme's themes and
sustainable development goals; the calls' descriptions — each in all three languages.
``SEARCH_COLUMNS`` gives each its weight in the ranking: a word in the name outweighs the same word
anywhere else, so title hits come first.

The documents are written by ``services.scheme_search_refresh`` whenever a scheme's texts, themes
or goals, or one of its calls' texts change (the admin, the seed), and for existing rows by
migration 0007, which calls ``scheme_search_columns`` with its historical models (it reads
attributes only).
"""

from collections.abc import Iterable

from portal.textsearch import search_document

SEARCH_COLUMNS = {"search_name": 8, "search_summary": 4, "search_text": 2, "search_calls": 1}


def _texts(objects: Iterable, field: str) -> tuple[list[str], list[str]]:
    norwegian, english = [], []
    for obj in objects:
        norwegian += [getattr(obj, field), getattr(obj, f"{field}_nn")]
        english.append(getattr(obj, f"{field}_en"))
    return norwegian, english


def _document(*sources: tuple[Iterable, str]) -> str:
    norwegian, english = [], []
    for objects, field in sources:
        nb_nn, en = _texts(objects, field)
        norwegian += nb_nn
        english += en
    return search_document(norwegian=norwegian, english=english)


def scheme_search_columns(*, scheme, calls: Iterable, themes: Iterable, goals: Iterable) -> dict[str, str]:
    """The stored documents of ``scheme`` with all of its ``calls``, ``themes`` and ``goals``, by column."""
    calls = list(calls)
    return {
        "search_name": _document(([scheme], "name")),
        "search_summary": _document(([scheme], "short_description")),
        "search_text": _document(([scheme], "description"), (calls, "title"), (themes, "name"), (goals, "name")),
        "search_calls": _document((calls, "description")),
    }
