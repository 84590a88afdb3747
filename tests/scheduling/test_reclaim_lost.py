"""After a worker crash, a running row (a deadline close) is retried within a minute or two, not
after ``reclaim_after`` (~5 minutes with the tick): a running row that no handler holds while the
queue is empty was lost with its worker (issue 18). PostgreSQL, a second connection as the handler."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from portal.celery import app as celery_app
from scheduling.engine import effects_sweep, lost_after, reclaim_after
from scheduling.models import ScheduledEffect
from tests.scheduling.helpers import drill_rows

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def empty_queue():
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_declare(queue=settings.CELERY_TASK_DEFAULT_QUEUE, durable=True)
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


def _claim_and_lose(n=1):
    rows = drill_rows(n)
    with mock.patch("scheduling.tasks.run_effect.apply_async"):  # the worker dies with the task
        assert effects_sweep().claimed == n
    return rows


def test_lost_after_is_much_shorter_than_reclaim_after():
    assert lost_after() <= timedelta(seconds=60) < reclaim_after()


def test_a_running_row_nobody_holds_is_reclaimed_after_half_a_minute(empty_queue):
    (row,) = _claim_and_lose()
    with mock.patch("scheduling.tasks.run_effect.apply_async") as publish:
        assert effects_sweep().reclaimed == 0  # just claimed: its task may be on its way
        with time_machine.travel(timezone.now() + lost_after() + timedelta(seconds=1)):
            result = effects_sweep()
    assert (result.reclaimed, result.claimed) == (1, 1)
    row.refresh_from_db()
    assert (row.state, row.claim_token, row.attempts) == ("running", 2, 2)
    assert publish.call_args.kwargs["args"] == (row.pk, 2)  # sent again, with the new claim


def test_a_row_whose_handler_is_at_work_is_not_reclaimed(empty_queue):
    (row,) = _claim_and_lose()
    holding, release = threading.Event(), threading.Event()

    def handler():  # effect_run: the guard UPDATE holds the row until the handler commits
        try:
            with transaction.atomic():
                ScheduledEffect.objects.filter(pk=row.pk, state="running").update(state="done")
                holding.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=handler)
    thread.start()
    try:
        assert holding.wait(timeout=10)
        with time_machine.travel(timezone.now() + lost_after() + timedelta(seconds=1)):
            assert effects_sweep().reclaimed == 0
    finally:
        release.set()
        thread.join(timeout=30)
    row.refresh_from_db()
    assert row.state == "done"


def test_nothing_is_reclaimed_early_while_tasks_wait_in_the_queue(empty_queue):
    _claim_and_lose()
    with (
        mock.patch("scheduling.engine._queue_is_empty", return_value=False),
        time_machine.travel(timezone.now() + lost_after() + timedelta(seconds=1)),
    ):
        assert effects_sweep().reclaimed == 0
