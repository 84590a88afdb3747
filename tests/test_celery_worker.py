"""The live worker executes what a service sends after commit, and nothing that was rolled back."""

import time
import uuid

import pytest
from django.db import transaction

from portal.models import Heartbeat
from portal.services import heartbeat_request

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, *, timeout=20.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def test_task_sent_after_commit_is_executed_by_the_live_worker(celery_worker):
    name = f"smoke-{uuid.uuid4()}"
    with transaction.atomic():
        heartbeat_request(name=name)
        # Not sent before commit: the worker cannot have written anything yet.
        assert not Heartbeat.objects.filter(name=name).exists()

    assert wait_for(lambda: Heartbeat.objects.filter(name=name).exists()), celery_worker.log_tail()
    assert Heartbeat.objects.get(name=name).count == 1


def test_task_of_a_rolled_back_transaction_is_never_sent(celery_worker):
    rolled_back = f"rolled-back-{uuid.uuid4()}"
    marker = f"marker-{uuid.uuid4()}"
    with pytest.raises(RuntimeError), transaction.atomic():
        heartbeat_request(name=rolled_back)
        raise RuntimeError("abort")
    # One worker process, prefetch 1, one queue: had the first task been sent, it would run
    # before the marker. Once the marker's effect is there, the first one is proven absent.
    heartbeat_request(name=marker)
    assert wait_for(lambda: Heartbeat.objects.filter(name=marker).exists()), celery_worker.log_tail()
    assert not Heartbeat.objects.filter(name=rolled_back).exists()
