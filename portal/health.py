"""Checks behind /healthz: can we reach the database, the broker and at least one worker?

Each check returns (ok, detail) and never raises, so one dead component cannot hide the state of
the others. Timeouts are short: a load balancer probe must answer in about a second or two.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .celery import app as celery_app


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy", reported as text
        return False, type(exc).__name__
    return True, connection.vendor


def check_broker() -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2, interval_start=0, interval_step=0.2)
            transport = conn.transport_cls
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    return True, str(transport)


def check_workers() -> tuple[bool, str]:
    try:
        replies = celery_app.control.ping(timeout=settings.HEALTH_WORKER_PING_TIMEOUT)
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    if not replies:
        return False, "no worker answered"
    return True, f"{len(replies)} worker(s)"


# When this process started. A scheduler that has not ticked is only reported once this process
# has been up as long as a tick may be late: a fresh install or a restart gets that long for
# beat's first tick (it comes within a minute) before /healthz calls it a failure.
PROCESS_STARTED_AT = timezone.now()


def check_scheduler(*, now=None) -> tuple[bool, str]:
    from .models import Heartbeat

    now = now or timezone.now()
    stale_after = timedelta(seconds=settings.SCHEDULING_TICK_STALE_AFTER)
    try:
        seen_at = Heartbeat.objects.filter(name="beat").values_list("seen_at", flat=True).first()
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    if seen_at is not None and now - seen_at <= stale_after:
        return True, f"last tick {seen_at.isoformat()}"
    if now - PROCESS_STARTED_AT <= stale_after:
        return True, "waiting for the first tick since start-up"
    if seen_at is None:
        return False, f"the scheduler has not ticked in {stale_after.seconds // 60} minutes since start-up"
    return False, f"the scheduler has not ticked since {seen_at.isoformat()}"


def readiness_report() -> tuple[bool, dict]:
    """What /healthz/ready asks: the database only (a web node without it serves nothing)."""
    ok, detail = check_database()
    return ok, {"database": {"ok": ok, "detail": detail}}


def health_report() -> tuple[bool, dict]:
    checks = {}
    for name, check in (("database", check_database), ("broker", check_broker), ("scheduler", check_scheduler)):
        ok, detail = check()
        checks[name] = {"ok": ok, "detail": detail}
    if checks["broker"]["ok"]:
        ok, detail = check_workers()
    else:
        ok, detail = False, "broker unreachable"
    checks["worker"] = {"ok": ok, "detail": detail}
    return all(c["ok"] for c in checks.values()), checks
