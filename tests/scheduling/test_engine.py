"""The engine: claim, run once under the state guard, reclaim, fail, retry (PostgreSQL, eager tasks)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from portal.models import Heartbeat
from scheduling.engine import backoff, effect_retry, effects_sweep, reclaim_after
from scheduling.models import EffectState, ScheduledEffect
from scheduling.tasks import run_effect
from tests.scheduling.helpers import OSLO, drill_rows, states

pytestmark = pytest.mark.django_db


def counts():
    return dict(Heartbeat.objects.filter(name__startswith="drill").values_list("name", "count"))


def test_a_sweep_runs_every_due_row_once_and_nothing_early(eager):
    now = timezone.now()
    drill_rows(3, due_at=now - timedelta(days=30))  # a tick missed for a month is caught up
    drill_rows(2, due_at=now + timedelta(minutes=5), prefix="later")
    with eager():
        result = effects_sweep()
    assert result.claimed == 3
    assert counts() == {"drill:0": 1, "drill:1": 1, "drill:2": 1}
    assert states() == {"drill:0": "done", "drill:1": "done", "drill:2": "done", "later:0": "pending",
                        "later:1": "pending"}  # fmt: skip
    with eager():
        assert effects_sweep().claimed == 0  # a second sweep finds nothing
    assert counts() == {"drill:0": 1, "drill:1": 1, "drill:2": 1}


def test_a_duplicate_or_redelivered_task_does_nothing(eager, django_capture_on_commit_callbacks):
    (row,) = drill_rows(1)
    with django_capture_on_commit_callbacks(execute=False):  # claimed, task not sent yet
        effects_sweep()
    row.refresh_from_db()
    assert (row.state, row.claim_token, row.attempts) == ("running", 1, 1)
    assert run_effect(row.pk, row.claim_token) is True
    assert run_effect(row.pk, row.claim_token) is False  # the same message delivered again
    assert run_effect(row.pk, row.claim_token - 1) is False  # a task of an older claim
    assert counts() == {"drill:0": 1}


def test_a_stuck_running_row_is_reclaimed_and_the_lost_task_cannot_run_again(eager, django_capture_on_commit_callbacks):
    (row,) = drill_rows(1)
    with django_capture_on_commit_callbacks(execute=False):  # the task is "lost" (never published)
        effects_sweep()
    row.refresh_from_db()
    lost_token = row.claim_token
    with eager():  # within the time limit: not touched, the task may still be on its way
        assert effects_sweep().reclaimed == 0
    assert counts() == {}
    with time_machine.travel(timezone.now() + reclaim_after() + timedelta(seconds=1)), eager():
        result = effects_sweep()
    assert (result.reclaimed, result.claimed) == (1, 1)
    assert counts() == {"drill:0": 1}
    # The lost task turns up after all (Redis redelivers it): nothing happens.
    assert run_effect(row.pk, lost_token) is False
    row.refresh_from_db()
    assert (row.state, row.claim_token, row.attempts) == ("done", lost_token + 1, 2)


def test_reclaiming_cannot_take_a_row_that_is_already_done(eager, django_capture_on_commit_callbacks):
    (row,) = drill_rows(1)
    with django_capture_on_commit_callbacks(execute=False):
        effects_sweep()
    row.refresh_from_db()
    assert run_effect(row.pk, row.claim_token) is True  # the task ran, just "late"
    with time_machine.travel(timezone.now() + reclaim_after() * 2), eager():
        assert effects_sweep().reclaimed == 0
    assert counts() == {"drill:0": 1}


def test_a_failing_row_is_retried_with_backoff_then_failed_with_the_reason(eager, settings):
    settings.SCHEDULING_MAX_ATTEMPTS = 3
    start = timezone.now()
    drill_rows(1, kind="drill-fail", due_at=start)
    with time_machine.travel(start, tick=False):
        with eager():
            effects_sweep()
        row = ScheduledEffect.objects.get()
        assert (row.state, row.attempts) == ("pending", 1)
        assert row.due_at == start + backoff(1) == start + timedelta(minutes=1)
        assert row.failure_reason == "RuntimeError: drill: the mail server said no"
        with eager():
            assert effects_sweep().claimed == 0  # not before the backoff
    with time_machine.travel(start + timedelta(minutes=1), tick=False), eager():
        effects_sweep()
    row.refresh_from_db()
    assert (row.state, row.attempts, row.due_at) == ("pending", 2, start + timedelta(minutes=3))
    with time_machine.travel(start + timedelta(minutes=3), tick=False), eager():
        effects_sweep()
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", 3)
    assert row.failed_at == start + timedelta(minutes=3)
    assert "mail server said no" in row.failure_reason
    assert counts() == {}  # every failed attempt was rolled back
    with time_machine.travel(start + timedelta(days=1)), eager():
        assert effects_sweep().claimed == 0  # failed rows stay failed

    assert effect_retry(effect=row) is True
    row.refresh_from_db()
    assert (row.state, row.attempts, row.failure_reason) == ("pending", 0, "")
    assert effect_retry(effect=row) is False  # only a failed row is retried


def test_an_unknown_kind_fails_with_the_reason(eager, settings):
    settings.SCHEDULING_MAX_ATTEMPTS = 1
    ScheduledEffect.objects.create(kind="finnes-ikke", key="x:1", due_at=timezone.now())
    with eager():
        effects_sweep()
    row = ScheduledEffect.objects.get()
    assert (row.state, row.failure_reason) == ("failed", "UnknownEffectKind: finnes-ikke")


def test_a_stuck_row_on_its_last_attempt_is_failed_not_reclaimed(eager, settings, django_capture_on_commit_callbacks):
    settings.SCHEDULING_MAX_ATTEMPTS = 1
    drill_rows(1)
    with django_capture_on_commit_callbacks(execute=False):
        effects_sweep()
    with time_machine.travel(timezone.now() + reclaim_after() + timedelta(seconds=1)), eager():
        result = effects_sweep()
    assert (result.reclaimed, result.given_up, result.claimed) == (0, 1, 0)
    row = ScheduledEffect.objects.get()
    assert row.state == EffectState.FAILED
    assert "Ingen arbeider" in row.failure_reason


def test_a_big_backlog_is_swept_in_batches_and_says_there_is_more(eager, django_assert_max_num_queries):
    drill_rows(25, due_at=timezone.now().astimezone(OSLO) - timedelta(hours=1))
    # reclaim (2, and 1 asking for rows lost with a worker); per batch of any size: savepoint,
    # select, update, tokens, release (5)
    with django_assert_max_num_queries(3 + 2 * 5):
        result = _sweep_without_running(batch_size=10, max_batches=2)
    assert (result.claimed, result.more) == (20, True)


def _sweep_without_running(**kwargs):
    from unittest import mock

    with mock.patch("scheduling.tasks.run_effect.apply_async"):
        return effects_sweep(**kwargs)


def test_the_sqlite_claim_path_claims_each_row_once(eager, monkeypatch):
    """Without SKIP LOCKED (SQLite, `make run`) each row is claimed by a conditional update."""
    monkeypatch.setattr(connection.features, "has_select_for_update_skip_locked", False)
    drill_rows(5)
    with eager():
        assert effects_sweep().claimed == 5
    with eager():
        assert effects_sweep().claimed == 0
    assert counts() == {f"drill:{i}": 1 for i in range(5)}
