"""The queue filter's choice lists (the calls and the reviewers of the schemes a person handles),
kept in the cache (``CACHE_URL``) instead of two queries on every page of the queue.

Per scope (the handled schemes, or every scheme) and ``generation``: a value in the cache that
the signals below replace when a call, a staff role, a scheme's agencies or a person's name changes,
so the next page reads the lists again. They are also read again after ``TIMEOUT`` whatever
happens, which bounds how stale a list can be where the change bypassed the signals (a queryset
``update()``) or the cache is each process's own memory (``locmemcache://``, one web process)."""

import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.models import StaffRole
from schemes.models import Call, Scheme

TIMEOUT = 5 * 60
GENERATION = "casework:queue-choices:generation"
CALL_FIELDS = ("slug", "title", "title_nn", "title_en")


def queue_choices(*, handled_scheme_ids, all_schemes: bool) -> tuple[list[dict], list[tuple[str, str]]]:
    """(calls as ``{slug, title, title_nn, title_en}`` newest closing first, reviewers as
    ``(id, name)`` by name): from the cache, or two queries."""
    scope = "all" if all_schemes else ",".join(str(pk) for pk in sorted(handled_scheme_ids))
    key = f"casework:queue-choices:{cache.get_or_set(GENERATION, time.time_ns, timeout=None)}:{scope}"
    found = cache.get(key)
    if found is None:
        found = _read(handled_scheme_ids=handled_scheme_ids, all_schemes=all_schemes)
        cache.set(key, found, TIMEOUT)
    return found


def _read(*, handled_scheme_ids, all_schemes: bool):
    calls = Call.objects.select_related(None)
    reviewers = get_user_model().objects.filter(is_active=True, staff_roles__role=StaffRole.Role.REVIEWER)
    if not all_schemes:
        calls = calls.filter(scheme_id__in=sorted(handled_scheme_ids))
        reviewers = reviewers.filter(staff_roles__agency__schemes__in=sorted(handled_scheme_ids))
    return (
        list(calls.order_by("-closes_at", "title").values(*CALL_FIELDS)),
        [
            (str(pk), full_name or email)
            for pk, full_name, email in reviewers.distinct()
            .order_by("full_name", "email")
            .values_list("pk", "full_name", "email")
        ],
    )


def forget_queue_choices(**_kwargs) -> None:
    """Every scope's lists are read again on their next use (the old entries expire unused). A new
    generation is a moment, never an earlier number again (were it evicted and restarted at 1,
    lists stored under 1 would come back)."""
    cache.set(GENERATION, time.time_ns(), timeout=None)


def _person_saved(sender, instance, update_fields=None, **_kwargs):
    # A login saves ``last_login`` only: not a change the lists show.
    if update_fields is None or {"full_name", "email", "is_active"} & set(update_fields):
        forget_queue_choices()


def connect() -> None:
    for model in (Call, StaffRole):
        post_save.connect(forget_queue_choices, sender=model, dispatch_uid=f"queue-choices-save-{model.__name__}")
        post_delete.connect(forget_queue_choices, sender=model, dispatch_uid=f"queue-choices-del-{model.__name__}")
    post_save.connect(_person_saved, sender=get_user_model(), dispatch_uid="queue-choices-person")
    post_delete.connect(forget_queue_choices, sender=get_user_model(), dispatch_uid="queue-choices-person-del")
    for through in (StaffRole.schemes.through, Scheme.agencies.through):
        m2m_changed.connect(forget_queue_choices, sender=through, dispatch_uid=f"queue-choices-{through.__name__}")
