"""Similar funded projects and likely duplicates, by text similarity of title and summary (Norwegian
Snowball stems, as the bank's search stores them in ``Project.search_document``) plus shared SDGs
and themes, each match with the reason it was found.

Bounded on any database: the candidates are the funded projects holding at least one of the text's
most telling stems (at most ``MAX_QUERY_STEMS`` ``LIKE`` terms, at most ``MAX_CANDIDATES`` rows),
scored in Python; their SDGs and themes come in one query each. The same code runs on SQLite and
PostgreSQL.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

import snowballstemmer
from django.utils.translation import gettext as _

from portal.textsearch import NORWEGIAN_STOP_WORDS, _words, contains_word

from .models import Project

MAX_QUERY_STEMS = 12
MAX_CANDIDATES = 300
MIN_STEM_LENGTH = 4  # «app», «ny», «bruk»: too common to say two projects are alike
TEXT_WEIGHT, GOAL_WEIGHT, THEME_WEIGHT = 1.0, 0.08, 0.08
MIN_SCORE = 0.15
DUPLICATE_SCORE = 0.6  # text alone this close: likely the same project

_STEMMER = snowballstemmer.stemmer("norwegian")


def telling_stems(texts: Iterable[str]) -> dict[str, str]:
    """Stem → the first word of ``texts`` it came from, without stop words and short stems."""
    found: dict[str, str] = {}
    for text in texts:
        for word in _words(text):
            for part in word.split("-"):
                if part in NORWEGIAN_STOP_WORDS or part.isdigit():
                    continue
                stem = _STEMMER.stemWord(part)
                if len(stem) >= MIN_STEM_LENGTH:
                    found.setdefault(stem, part)
    return found


@dataclass
class Match:
    """A project (or, for duplicates, an application) like the text, with why."""

    score: float
    text_score: float
    words: list[str]
    goals: list[int] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    project: Project | None = None
    application: object = None

    @property
    def reason(self) -> str:
        parts = []
        if self.words:
            parts.append(_("felles ord: %(words)s") % {"words": ", ".join(self.words)})
        if self.goals:
            parts.append(_("samme bærekraftsmål %(goals)s") % {"goals": ", ".join(map(str, self.goals))})
        if self.themes:
            parts.append(_("samme tema: %(themes)s") % {"themes": ", ".join(self.themes)})
        return "; ".join(parts)

    @property
    def likely_duplicate(self) -> bool:
        return self.text_score >= DUPLICATE_SCORE


def _text_score(query: set[str], other: set[str]) -> float:
    if not query or not other:
        return 0.0
    return len(query & other) / math.sqrt(len(query) * len(other))


def similar_projects(
    *,
    texts: Iterable[str],
    goal_numbers: Iterable[int] = (),
    theme_ids: Iterable[int] = (),
    exclude_project_id: int | None = None,
    exclude_application_id: int | None = None,
    limit: int = 5,
) -> list[Match]:
    """The funded projects most like ``texts`` (a title and a summary), best first, scored by the
    stems they share (cosine over the two sets of stems) and by the SDGs (``goal_numbers``) and
    themes they share: three queries."""
    stems = telling_stems(texts)
    if not stems:
        return []
    query_stems = sorted(stems, key=lambda s: (-len(s), s))[:MAX_QUERY_STEMS]  # long stems tell most
    candidates = Project.objects.funded().filter(
        reduce(or_, (contains_word("search_document", frozenset({stem})) for stem in query_stems))
    )
    if exclude_project_id:
        candidates = candidates.exclude(pk=exclude_project_id)
    if exclude_application_id:
        candidates = candidates.exclude(application_id=exclude_application_id)
    rows = list(
        candidates.select_related("scheme", "organisation")
        .only("id", "title", "year", "search_document", "application_id", "scheme__id", "scheme__slug",
              "scheme__name", "scheme__name_nn", "scheme__name_en", "organisation__id", "organisation__name")
        .order_by("-year", "-pk")[:MAX_CANDIDATES]
    )  # fmt: skip
    if not rows:
        return []
    ids = [row.pk for row in rows]
    goals_of: dict[int, set[int]] = {}
    for project_id, number in Project.sdgs.through.objects.filter(project_id__in=ids).values_list(
        "project_id", "sustainabledevelopmentgoal__number"
    ):
        goals_of.setdefault(project_id, set()).add(number)
    themes_of: dict[int, dict[int, str]] = {}
    for project_id, theme_id, name in Project.themes.through.objects.filter(project_id__in=ids).values_list(
        "project_id", "theme_id", "theme__name"
    ):
        themes_of.setdefault(project_id, {})[theme_id] = name
    wanted_goals = set(goal_numbers)
    wanted_themes = set(theme_ids)
    query = set(stems)
    matches = []
    for row in rows:
        other = set(row.search_document.split())
        shared = query & other
        text = _text_score(query, other)
        goals = sorted(wanted_goals & goals_of.get(row.pk, set()))
        themes = sorted(name for pk, name in themes_of.get(row.pk, {}).items() if pk in wanted_themes)
        score = TEXT_WEIGHT * text + GOAL_WEIGHT * len(goals) + THEME_WEIGHT * len(themes)
        if shared and score >= MIN_SCORE:
            words = _words_shared(stems, shared)
            matches.append(Match(score=score, text_score=text, words=words, goals=goals, themes=themes, project=row))
    matches.sort(key=lambda m: (-m.score, -m.project.year, m.project.pk))
    return matches[:limit]


def _words_shared(stems: dict[str, str], shared: set[str]) -> list[str]:
    return [stems[s] for s in sorted(shared, key=lambda s: (-len(s), s))][:5]


def likely_duplicates(*, application, texts: list[str], limit: int = 5) -> list[Match]:
    """Other submitted applications to the same call whose title and summary are nearly the same
    text as ``application``'s (at most ``MAX_CANDIDATES``, one query), best first."""
    from applications.models import Application
    from applications.workflow import State

    stems = telling_stems(texts)
    if not stems:
        return []
    query = set(stems)
    others = (
        Application.objects.filter(call_id=application.call_id)
        .exclude(pk=application.pk)
        .exclude(state__in=[State.DRAFT, State.WITHDRAWN])
        .select_related("organisation")
        .only("id", "reference", "title", "answers", "organisation__id", "organisation__name")
        .order_by("-pk")[:MAX_CANDIDATES]
    )
    matches = []
    for other in others:
        other_stems = set(telling_stems(application_texts(other)))
        text = _text_score(query, other_stems)
        if text >= DUPLICATE_SCORE:
            words = _words_shared(stems, query & other_stems)
            matches.append(Match(score=text, text_score=text, words=words, application=other))
    matches.sort(key=lambda m: (-m.score, m.application.pk))
    return matches[:limit]


def application_texts(application) -> list[str]:
    """An application's title and summary (the answer «sammendrag», as the project bank takes it)."""
    summary = (application.answers or {}).get("sammendrag", "")
    return [application.title or "", summary if isinstance(summary, str) else ""]


def similar_to_application(application, *, limit: int = 5) -> list[Match]:
    """The funded projects most like ``application`` (its title and summary, and its scheme's SDGs
    and themes), never its own project: what the draft, the case page and the full list show."""
    scheme = application.call.scheme
    return similar_projects(
        texts=application_texts(application),
        goal_numbers=scheme.sdgs.values_list("number", flat=True),
        theme_ids=scheme.themes.values_list("pk", flat=True),
        exclude_application_id=application.pk,
        limit=limit,
    )
