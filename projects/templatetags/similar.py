"""``{% similar_for_application application %}``: the few funded projects most like an application,
shown inline where the applicant writes it (the draft's overview) and where the officer handles it
(the case page), each with why it matched, and a link to the full list (and, for officers, the
likely duplicates) at /soknader/<id>/lignende-prosjekter/.

On the case page the matches are cached as on the draft, so its pinned query count
(tests/review/test_pages_case.py) holds from the second opening on; the full list with the likely
duplicates among the call's applications is one click away.

The project bank sits above applications and review, so they reach it through this tag rather than
by importing it. The matches are cached for a few minutes per application and text (title and
summary), so a page that is reloaded while someone works does not search the bank again."""

import hashlib

from django import template
from django.core.cache import cache

from ..similarity import application_texts, similar_to_application

register = template.Library()

INLINE_LIMIT = 3
CACHE_SECONDS = 600


def application_matches(application, *, limit: int) -> list:
    texts = application_texts(application)
    digest = hashlib.sha256("\x1f".join(texts).encode()).hexdigest()[:32]
    key = f"similar:{application.pk}:{application.call.scheme_id}:{limit}:{digest}"
    matches = cache.get(key)
    if matches is None:
        matches = similar_to_application(application, limit=limit)
        cache.set(key, matches, CACHE_SECONDS)
    return matches


@register.inclusion_tag("projects/_similar_inline.html")
def similar_for_application(application):
    return {
        "application": application,
        "matches": application_matches(application, limit=INLINE_LIMIT),
    }
