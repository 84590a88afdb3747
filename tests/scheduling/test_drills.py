"""More fault drills through the real worker (`make drills` repeats them): Redis restarted between
enqueue and execution, the broker failing the publish after the arming transaction committed, and
two workers with two ticks at once. After each: every due effect happened exactly once.

The Redis drill restarts the Redis it runs on, so it runs only on a Redis of its own:
`make drills` starts one on DRILL_REDIS_PORT (6390) and sets DRILL_OWN_REDIS=1."""

import os
import socket
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu import pools
from kombu.exceptions import OperationalError

from organisations.models import Membership
from portal.celery import app as celery_app
from portal.models import Heartbeat
from portal.tasks import scheduler_tick
from scheduling.engine import effects_sweep, reclaim_after
from scheduling.models import Notice, ScheduledEffect
from scheduling.services import call_schedule
from scheduling.tasks import run_effect
from tests.factories import MembershipFactory, call_with_form, make_application
from tests.scheduling.helpers import drill_rows
from tests.scheduling.test_live import applied, drain
from tests.test_celery_worker import wait_for
from tests.worker import WorkerProcess, database_url_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker, pytest.mark.drill]

OWN_REDIS = os.environ.get("DRILL_OWN_REDIS") == "1"


def _redis_port() -> int:
    return urlsplit(os.environ["REDIS_URL"]).port or 6379


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def restart_redis() -> None:
    """Stop the drill's Redis without saving (what it held is gone, as after a crash without
    persistence) and start it again on the same port."""
    port = _redis_port()
    subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True, timeout=10)
    assert wait_for(lambda: not _listening(port), timeout=10)
    var = Path(settings.BASE_DIR) / "var"
    subprocess.run(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--daemonize", "yes", "--pidfile", str(var / f"drill-redis-{port}.pid"),
         "--logfile", str(var / f"drill-redis-{port}.log")],
        check=True, timeout=10,
    )  # fmt: skip
    assert wait_for(lambda: _listening(port), timeout=10)
    # This process's pooled connections died with the server; start afresh, as a restarted web
    # process would (the worker reconnects by itself: broker_connection_retry).
    pools.reset()  # kombu's registry of pools, closed and emptied
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.skipif(not OWN_REDIS, reason="restarts Redis: only on a Redis of its own (make drills)")
def test_drill_redis_restarted_between_enqueue_and_execution(celery_worker):
    n = 20
    drill_rows(n)
    celery_worker.stop()  # nobody takes the tasks before Redis goes
    assert effects_sweep().claimed == n  # committed, and 20 tasks published to Redis
    restart_redis()  # the queued messages are lost with it
    celery_worker.start()
    drain(celery_worker, "marker-after-redis-restart")
    assert applied() == {}  # the tasks were lost: nothing ran, every row still running
    assert ScheduledEffect.objects.filter(state="running").count() == n
    assert effects_sweep().claimed == 0  # not reclaimed before the hard time limit has passed
    result = effects_sweep(now=timezone.now() + reclaim_after() + timedelta(seconds=1))
    assert (result.reclaimed, result.claimed) == (n, n)
    assert wait_for(lambda: ScheduledEffect.objects.filter(state="done").count() == n), celery_worker.log_tail()
    assert applied() == {f"drill:{i}": 1 for i in range(n)}


def test_drill_publish_fails_after_the_reminders_were_armed(celery_worker):
    """The reminder sweep writes one notice per person and draft and arms their e-mail batch, and
    commits; the publish of the sweep that should deliver it at once fails (the broker is gone). The
    next tick delivers them."""
    now = timezone.now()
    call = call_with_form(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7) - timedelta(minutes=1))
    people = []
    for _ in range(5):
        ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG).user
        make_application(organisation=ansvarlig.memberships.get().organisation, call=call, by_user=ansvarlig)
        people.append(ansvarlig.pk)
    call_schedule(call=call)
    sent = []
    with mock.patch(
        "scheduling.tasks.run_effect.apply_async", side_effect=lambda args, kwargs: sent.append(tuple(args))
    ):
        effects_sweep()  # claims the call's opening and its 7-day reminder sweep; run here, not by the worker
    dead = OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
    with mock.patch("scheduling.tasks.sweep.apply_async", side_effect=dead):
        for effect_id, token in sent:
            run_effect(effect_id, token)  # the arming commits; the publish after commit fails
    connection.close()
    # The notices are written with the arming; their e-mail is one batch row (scheduling.notices).
    reminders = ScheduledEffect.objects.filter(kind="notice-mail")
    assert (reminders.count(), reminders.filter(state="pending").count(), Notice.objects.count()) == (1, 1, 5)
    assert not Notice.objects.filter(emailed_at__isnull=False).exists()

    scheduler_tick.delay()  # the next minute's tick
    emailed = lambda: Notice.objects.filter(emailed_at__isnull=False).count() == 5  # noqa: E731
    assert wait_for(emailed, timeout=60), celery_worker.log_tail()
    for _ in range(3):
        scheduler_tick.delay()
    drain(celery_worker, "marker-after-ticks")
    assert sorted(Notice.objects.values_list("user_id", flat=True)) == sorted(people)
    assert all(n.emailed_at for n in Notice.objects.all())
    assert set(reminders.values_list("state", "attempts")) == {("done", 1)}


def test_drill_two_workers_and_two_ticks_at_once(celery_worker, tmp_path):
    n = 300
    drill_rows(n, payload={"sleep": 0.01})
    second = WorkerProcess(
        database_url=database_url_for(connection.settings_dict), log_path=tmp_path / "worker2.log", name="worker2"
    )
    second.start()
    try:
        started = time.monotonic()
        scheduler_tick.delay()
        scheduler_tick.delay()  # two ticks at once: two sweeps, on two workers, claiming side by side
        done = lambda: ScheduledEffect.objects.filter(state="done").count() == n  # noqa: E731
        assert wait_for(done, timeout=120), celery_worker.log_tail() + second.log_tail()
        elapsed = time.monotonic() - started
        for _ in range(2):
            scheduler_tick.delay()
        drain(celery_worker, "marker-after-two-workers")
    finally:
        second.stop()
    assert applied() == {f"drill:{i}": 1 for i in range(n)}
    assert set(ScheduledEffect.objects.values_list("attempts", flat=True)) == {1}
    assert wait_for(lambda: Heartbeat.objects.get(name="beat").count == 4)
    print(f"two workers, two ticks: {n} effects in {elapsed:.1f}s, each exactly once")
