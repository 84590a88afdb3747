"""The scheduler through the real worker on Redis, and its fault drills (`make drills` repeats
those marked ``drill``). After each: every due effect happened exactly once, nothing early."""

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from portal.models import Heartbeat
from portal.services import heartbeat_request
from portal.tasks import scheduler_tick
from scheduling.engine import effects_sweep, reclaim_after
from scheduling.models import CallEvent, Notice, ScheduledEffect
from scheduling.services import call_schedule, watch_follow
from tests.factories import CallFactory, SchemeFactory, UserFactory
from tests.scheduling.helpers import drill_rows
from tests.test_celery_worker import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def applied():
    """How many times each drill row's effect committed."""
    return dict(Heartbeat.objects.filter(name__startswith="drill:").values_list("name", "count"))


def drain(celery_worker, marker: str) -> None:
    """One worker process, prefetch 1, one queue: once a task sent now has run, everything sent
    before it has been handled."""
    heartbeat_request(name=marker)
    assert wait_for(lambda: Heartbeat.objects.filter(name=marker).exists(), timeout=30), celery_worker.log_tail()


@pytest.mark.worker
def test_the_tick_opens_a_due_call_and_tells_each_follower_once(celery_worker):
    scheme = SchemeFactory()
    followers = [UserFactory() for _ in range(3)]
    for user in followers:
        watch_follow(user=user, scheme=scheme)
    call = CallFactory(scheme=scheme, opens_at=timezone.now() - timedelta(minutes=1))
    upcoming = CallFactory(scheme=scheme, opens_at=timezone.now() + timedelta(days=1))
    call_schedule(call=call)
    call_schedule(call=upcoming)

    scheduler_tick.delay()
    assert wait_for(lambda: Notice.objects.filter(emailed_at__isnull=False).count() == 3), celery_worker.log_tail()
    for _ in range(3):  # more ticks, as beat sends them
        scheduler_tick.delay()
    drain(celery_worker, "marker-after-ticks")
    assert sorted(Notice.objects.values_list("user_id", "call_id")) == sorted((u.pk, call.pk) for u in followers)
    assert list(CallEvent.objects.values_list("call_id", "kind")) == [(call.pk, "opened")]
    assert ScheduledEffect.objects.get(key=f"call-open:{upcoming.pk}").state == "pending"
    assert Heartbeat.objects.get(name="beat").count == 4


@pytest.mark.worker
@pytest.mark.drill
def test_drill_worker_killed_in_the_middle_of_a_batch(celery_worker):
    n = 20
    drill_rows(n, payload={"sleep": 0.15})
    assert effects_sweep().claimed == n  # committed; 20 tasks on Redis
    assert wait_for(lambda: len(applied()) >= 4, timeout=30), celery_worker.log_tail()
    celery_worker.kill()  # SIGKILL: the task in hand dies with its transaction open
    assert len(applied()) < n
    celery_worker.start()
    # The tasks still queued are taken by the new worker. The one the dead worker held stays
    # unacknowledged in Redis until the visibility timeout (an hour): its row stays "running".
    drain(celery_worker, "marker-after-restart")
    stuck = ScheduledEffect.objects.filter(state="running").count()
    # The sweep's reconciliation, as it will run once the claim is older than the hard time limit.
    result = effects_sweep(now=timezone.now() + reclaim_after() + timedelta(seconds=1))
    assert result.reclaimed == stuck
    assert wait_for(lambda: ScheduledEffect.objects.filter(state="done").count() == n), celery_worker.log_tail()
    assert applied() == {f"drill:{i}": 1 for i in range(n)}
    print(f"worker killed: {stuck} row(s) reclaimed, {n - stuck} handled by the workers")


@pytest.mark.worker
@pytest.mark.drill
def test_drill_the_broker_refuses_the_publish_after_the_claim_committed(celery_worker):
    n = 10
    drill_rows(n)
    with mock.patch("scheduling.tasks.run_effect.apply_async", side_effect=ConnectionError("redis went away")):
        effects_sweep()  # the publish fails after the claim committed: logged (portal.publish), not raised
    assert ScheduledEffect.objects.filter(state="running").count() == 10  # claimed, never published
    assert effects_sweep().claimed == 0  # not claimed twice, and not reclaimed too early
    result = effects_sweep(now=timezone.now() + reclaim_after() + timedelta(seconds=1))
    assert (result.reclaimed, result.claimed) == (n, n)
    assert wait_for(lambda: ScheduledEffect.objects.filter(state="done").count() == n), celery_worker.log_tail()
    assert applied() == {f"drill:{i}": 1 for i in range(n)}


@pytest.mark.drill
def test_drill_two_sweeps_at_once_claim_disjoint_rows():
    n = 400
    drill_rows(n)
    barrier = threading.Barrier(2)
    sent: dict[str, list[tuple[int, int]]] = {"a": [], "b": []}

    # mock.patch is process-wide, so both threads share one patch applied here.
    with mock.patch("scheduling.tasks.run_effect.apply_async") as delay:
        delay.side_effect = lambda args, kwargs: sent[threading.current_thread().name].append(tuple(args))
        threads = [threading.Thread(target=_run_sweep, args=(barrier,), name=name) for name in ("a", "b")]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    a, b = {pk for pk, _ in sent["a"]}, {pk for pk, _ in sent["b"]}
    assert a.isdisjoint(b)
    assert a | b == set(ScheduledEffect.objects.values_list("pk", flat=True))
    assert len(sent["a"]) + len(sent["b"]) == n  # each row sent once, with claim token 1
    assert {token for _, token in sent["a"] + sent["b"]} == {1}
    print(f"two sweeps: {len(a)} + {len(b)} rows in {elapsed:.2f}s")


def _run_sweep(barrier):
    try:
        barrier.wait()
        effects_sweep(batch_size=10, max_batches=100)
    finally:
        connection.close()
