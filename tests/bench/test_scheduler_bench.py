"""The scheduler's throughput (`make bench` prints it): claiming rows in the sweep (PostgreSQL,
tasks not sent), and rows handled end to end through the live worker on Redis, exactly once."""

import time
from unittest import mock

import pytest

from portal.models import Heartbeat
from scheduling.engine import effects_sweep
from scheduling.models import ScheduledEffect
from tests.scheduling.helpers import drill_rows
from tests.test_celery_worker import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_sweep_claims_rows_in_batches():
    n = 20_000
    drill_rows(n)
    started = time.perf_counter()
    with mock.patch("scheduling.tasks.run_effect.apply_async"):
        claimed = 0
        while True:
            result = effects_sweep()
            claimed += result.claimed
            if not result.more:
                break
    elapsed = time.perf_counter() - started
    assert claimed == n
    print(f"\nsweep: claimed {n} rows in {elapsed:.2f}s ({n / elapsed:,.0f} rows/s)")


@pytest.mark.worker
def test_rows_handled_end_to_end_by_the_live_worker(celery_worker):
    n = 1_000
    drill_rows(n)
    started = time.perf_counter()
    assert effects_sweep(max_batches=100).claimed == n
    done = lambda: ScheduledEffect.objects.filter(state="done").count() == n  # noqa: E731
    assert wait_for(done, timeout=300), celery_worker.log_tail()
    elapsed = time.perf_counter() - started
    counts = set(Heartbeat.objects.filter(name__startswith="drill:").values_list("count", flat=True))
    assert counts == {1}
    print(f"\nworker (1 process): {n} effects in {elapsed:.1f}s ({n / elapsed:,.0f}/s), each exactly once")
