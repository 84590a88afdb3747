"""Throttles: small counters in the cache (``CACHES["default"]``, Redis in production), one per
scope and key (an address, an account, an inviting person) and fixed window.

``THROTTLES`` in settings holds each scope's limit as ``(count, seconds)``. ``check`` answers how
many seconds to wait when a key is over its limit (without counting); ``hit`` counts one and
answers the same after counting. ``throttled_response`` is the page a refusal shows: 429 with
``Retry-After`` and, in the person's language, when to try again.

``client_ip`` is the address the portal counts by, also for django-axes: ``REMOTE_ADDR``, or behind
``TRUSTED_PROXY_COUNT`` proxies that each append to ``X-Forwarded-For``, the entry the outermost
trusted proxy appended (what a client writes itself into the header is never trusted).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return forwarded[-count] if len(forwarded) >= count else forwarded[0]


def axes_client_ip(request) -> str:
    """django-axes's AXES_CLIENT_IP_CALLABLE: the same address as every other throttle."""
    return client_ip(request)


def _limit(scope: str) -> tuple[int, int]:
    count, seconds = settings.THROTTLES[scope]
    return int(count), int(seconds)


def _key(scope: str, key: str, seconds: int, now: float) -> tuple[str, int]:
    window = int(now // seconds)
    digest = hashlib.sha256(str(key).strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{window}", int((window + 1) * seconds - now) + 1


def check(scope: str, key: str) -> int | None:
    """Seconds to wait if ``key`` has used up ``scope``'s limit in this window, else None."""
    count, seconds = _limit(scope)
    name, left = _key(scope, key, seconds, time.time())
    return left if (cache.get(name) or 0) >= count else None


def hit(scope: str, key: str) -> int | None:
    """Count one for ``key``; seconds to wait if that went over the limit, else None."""
    count, seconds = _limit(scope)
    name, left = _key(scope, key, seconds, time.time())
    cache.add(name, 0, timeout=seconds + 5)
    try:
        used = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=seconds + 5)
        used = 1
    return left if used > count else None


def hit_all(pairs: list[tuple[str, str]]) -> int | None:
    """Count every (scope, key); the longest wait among those over their limit, else None."""
    waits = [wait for scope, key in pairs if (wait := hit(scope, key))]
    return max(waits) if waits else None


def throttled_response(request, retry_after: int):
    """A page in the person's language saying to wait, how long, and until when."""
    minutes = max(1, -(-retry_after // 60))
    until = timezone.localtime() + timezone.timedelta(seconds=retry_after)
    response = render(request, "throttled.html", {"minutes": minutes, "until": until}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
