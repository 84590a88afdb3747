"""The scheduler's engine: arm rows, sweep due rows, run one row exactly once, fail, retry.

Exactly-once in effect (README, "Deadlines and the scheduler"):

- The sweep *claims* a pending row (pending → running, ``claim_token`` + 1) and sends a task with
  the token after its transaction commits.
- ``effect_run`` opens a transaction whose first statement is the guard
  ``UPDATE … SET state='done' WHERE id=… AND state='running' AND claim_token=…``. Only one
  transaction can match it: the row lock (PostgreSQL) or the database write lock (SQLite) is held
  until commit, and after commit the row is no longer running. The handler's writes happen in the
  same transaction, so "done" and the effect commit together or not at all.
- A task that is redelivered, duplicated or belongs to an older claim matches nothing and returns.
- Reclaiming a stuck running row is a conditional ``UPDATE … WHERE state='running'`` too: it
  cannot touch a row a handler is committing (it waits for the lock, then sees "done"), and the
  new claim's token makes the old task a no-op. So reclaiming early wastes a task, never repeats
  an effect; the time limit below only keeps it from doing so needlessly.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from portal.publish import publish_on_commit

from .models import EffectState, ScheduledEffect
from .registry import handler_for

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_BATCHES_PER_SWEEP = 20


def max_attempts() -> int:
    return settings.SCHEDULING_MAX_ATTEMPTS


def reclaim_after() -> timedelta:
    """Longer than a task may live (its hard time limit), so a row still running after that was
    never handled: the task was lost before the worker took it, or the worker died with it."""
    return timedelta(seconds=settings.SCHEDULING_RECLAIM_AFTER)


def backoff(attempt: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed attempt, at most an hour. The wait is a row's
    ``due_at``, never a Celery countdown."""
    return timedelta(minutes=min(2 ** max(attempt - 1, 0), 60))


def effect_arm(
    *, kind: str, key: str, due_at: datetime, target_type: str = "", target_id: int | None = None,
    payload: dict | None = None,
) -> ScheduledEffect:  # fmt: skip
    """Create the row for ``key``, or move it to ``due_at`` and make it pending again if the moment
    changed (a call's dates were edited). Unchanged → left as it is (done stays done). Call inside
    the transaction that changed the cause, so the row and its cause commit together."""
    with transaction.atomic():
        effect, created = ScheduledEffect.objects.select_for_update().get_or_create(
            key=key,
            defaults={"kind": kind, "due_at": due_at, "target_type": target_type, "target_id": target_id,
                      "payload": payload or {}},
        )  # fmt: skip
        if not created and effect.due_at != due_at:
            # Not a conditional update: a running row is re-armed too. Its task's guard then fails
            # (state is no longer running) and the effect runs at the new moment instead.
            ScheduledEffect.objects.filter(pk=effect.pk).update(
                due_at=due_at, state=EffectState.PENDING, attempts=0, claimed_at=None, done_at=None,
                failed_at=None, failure_reason="",
            )  # fmt: skip
            effect.refresh_from_db()
    return effect


def effects_arm_many(*, rows: list[ScheduledEffect], keys_are_new: bool = False) -> int:
    """Insert rows whose key does not exist yet; existing keys are left alone (once per key).
    Returns how many were new. ``keys_are_new``: each key names something made in this very
    transaction (a submitted version's receipts), so none can exist yet and they are not counted
    first (a conflict would still be ignored, not doubled)."""
    before = 0 if keys_are_new else ScheduledEffect.objects.filter(key__in=[r.key for r in rows]).count()
    ScheduledEffect.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows) - before


@dataclass
class SweepResult:
    reclaimed: int = 0
    given_up: int = 0
    claimed: int = 0
    more: bool = False


def effects_sweep(*, now: datetime | None = None, batch_size: int = BATCH_SIZE,
                  max_batches: int = MAX_BATCHES_PER_SWEEP) -> SweepResult:  # fmt: skip
    """Reclaim stuck rows, then claim due rows in batches; each batch commits and then sends one
    task per row. ``more`` says rows were left for another sweep (the task sends one at once)."""
    now = now or timezone.now()
    result = SweepResult()
    result.reclaimed, result.given_up = _reclaim(now=now)
    for _ in range(max_batches):
        claimed = _claim_batch(now=now, batch_size=batch_size)
        result.claimed += claimed
        if claimed < batch_size:
            return result
    result.more = True
    return result


def lost_after() -> timedelta:
    return timedelta(seconds=settings.SCHEDULING_RECLAIM_LOST_AFTER)


def _queue_is_empty() -> bool:
    """No task waits in the broker's queue. False when the broker cannot tell (then only the long
    ``reclaim_after`` applies)."""
    from portal.celery import app

    try:
        with app.connection_for_read() as conn:
            queue = settings.CELERY_TASK_DEFAULT_QUEUE
            # Not passive: on Redis an empty queue has no key, and a passive declare says «not found».
            return conn.default_channel.queue_declare(queue=queue, durable=True).message_count == 0
    except Exception:  # noqa: BLE001 - any broker trouble: not sure, so not early
        return False


def _lost_ids(*, now: datetime) -> list[int]:
    """Running rows whose task is certainly not at work or waiting, reclaimed without waiting for
    ``reclaim_after`` (a worker killed in the middle of a deadline close is retried within a
    minute or two, not five). A handler at work holds its row's lock from the guard ``UPDATE``
    until it commits, so ``SKIP LOCKED`` leaves it out; a task still waiting in the queue would be
    unlocked too, so this runs only when the queue is empty. What is left is a task whose worker
    died (its message sits unacknowledged in Redis until the visibility timeout) or whose publish
    was lost. PostgreSQL only (SQLite has no row locks, see ``_may_have_lost_rows``); call inside
    a transaction, which keeps the rows locked until the reclaim commits."""
    candidates = ScheduledEffect.objects.filter(state=EffectState.RUNNING, claimed_at__lt=now - lost_after())
    return list(candidates.select_for_update(skip_locked=True).values_list("pk", flat=True))


def _may_have_lost_rows(*, now: datetime) -> bool:
    if not connection.features.has_select_for_update_skip_locked:
        return False
    candidates = ScheduledEffect.objects.filter(state=EffectState.RUNNING, claimed_at__lt=now - lost_after())
    return candidates.exists() and _queue_is_empty()


def _reclaim(*, now: datetime) -> tuple[int, int]:
    given_up = reclaimed = 0
    if _may_have_lost_rows(now=now):  # one query when nothing runs (the common case)
        with transaction.atomic():
            lost = _lost_ids(now=now)
            given_up, reclaimed = _reclaim_rows(
                ScheduledEffect.objects.filter(pk__in=lost, state=EffectState.RUNNING), now=now
            )
    stale = ScheduledEffect.objects.filter(state=EffectState.RUNNING, claimed_at__lt=now - reclaim_after())
    more_given_up, more_reclaimed = _reclaim_rows(stale, now=now)
    given_up, reclaimed = given_up + more_given_up, reclaimed + more_reclaimed
    if reclaimed or given_up:
        logger.warning("scheduler reclaimed %s stuck row(s), gave up %s", reclaimed, given_up)
    return reclaimed, given_up


def _reclaim_rows(stale, *, now: datetime) -> tuple[int, int]:
    given_up = stale.filter(attempts__gte=max_attempts()).update(
        state=EffectState.FAILED, failed_at=now, claimed_at=None,
        failure_reason="Ingen arbeider fullførte oppgaven (tapt eller stoppet) etter siste forsøk.",
    )  # fmt: skip
    reclaimed = stale.update(state=EffectState.PENDING, claimed_at=None)
    return given_up, reclaimed


def _claim_batch(*, now: datetime, batch_size: int) -> int:
    from .tasks import run_effect

    claimed_at = timezone.now()
    with transaction.atomic():
        due = ScheduledEffect.objects.filter(state=EffectState.PENDING, due_at__lte=now).order_by("due_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            # PostgreSQL: rows another sweep holds are skipped, and the ones we get stay locked by
            # us until commit, so the bulk update below claims exactly them.
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch_size])
            ScheduledEffect.objects.filter(pk__in=ids, state=EffectState.PENDING).update(
                state=EffectState.RUNNING, claimed_at=claimed_at, attempts=F("attempts") + 1,
                claim_token=F("claim_token") + 1,
            )  # fmt: skip
        else:
            # SQLite (local `make run`): no row locks, so each row is claimed by a conditional
            # update; a row another sweep took in between updates nothing and is left out.
            candidates = list(due.values_list("pk", flat=True)[:batch_size])
            ids = [
                pk for pk in candidates
                if ScheduledEffect.objects.filter(pk=pk, state=EffectState.PENDING).update(
                    state=EffectState.RUNNING, claimed_at=claimed_at, attempts=F("attempts") + 1,
                    claim_token=F("claim_token") + 1,
                )
            ]  # fmt: skip
        for pk, token in ScheduledEffect.objects.filter(pk__in=ids).values_list("pk", "claim_token"):
            publish_on_commit(run_effect, pk, token)
    return len(ids)


def effect_run(*, effect_id: int, token: int) -> bool:
    """Run the row's handler once, if this task's claim still holds. True when it ran (and
    committed), False when there was nothing to do. A handler error rolls back both the effect and
    "done" and propagates; the task then calls ``effect_fail``."""
    with transaction.atomic():
        guarded = ScheduledEffect.objects.filter(pk=effect_id, state=EffectState.RUNNING, claim_token=token)
        if not guarded.update(state=EffectState.DONE, done_at=timezone.now(), failure_reason=""):
            return False
        effect = ScheduledEffect.objects.get(pk=effect_id)
        handler_for(effect.kind)(effect)
    return True


def effect_fail(*, effect_id: int, token: int, reason: str) -> str | None:
    """After a failed attempt: pending again after a backoff, or failed after the last attempt.
    Conditional on the claim, like the guard. Returns the new state (None: claim no longer held)."""
    now = timezone.now()
    with transaction.atomic():
        effect = (
            ScheduledEffect.objects.select_for_update()
            .filter(pk=effect_id, state=EffectState.RUNNING, claim_token=token)
            .first()
        )
        if effect is None:
            return None
        reason = reason[:2000]
        if effect.attempts >= max_attempts():
            state, fields = EffectState.FAILED, {"failed_at": now}
        else:
            state, fields = EffectState.PENDING, {"due_at": now + backoff(effect.attempts)}
        ScheduledEffect.objects.filter(pk=effect_id).update(
            state=state, claimed_at=None, failure_reason=reason, **fields
        )
    return state


CANCELLABLE = (EffectState.PENDING, EffectState.FAILED)


def effects_cancel(*, target_type: str, target_ids, reason: str, kinds=None) -> int:
    """Steps that will never run, because what they were for has ended (a reviewer declared a
    conflict, an offer was answered, an application withdrawn): their pending or failed rows become
    cancelled. Call inside the transaction of that event, so the planner never shows them waiting
    after it commits. A running row is left alone: its handler checks the cause again and does
    nothing. Conditional, so a rerun changes nothing. Returns how many rows it cancelled."""
    rows = ScheduledEffect.objects.filter(target_type=target_type, target_id__in=target_ids, state__in=CANCELLABLE)
    if kinds is not None:
        rows = rows.filter(kind__in=kinds)
    return rows.update(state=EffectState.CANCELLED, cancelled_at=timezone.now(), cancel_reason=reason[:200],
                       claimed_at=None)  # fmt: skip


def effect_retry(*, effect: ScheduledEffect) -> bool:
    """An officer's retry of a failed row: pending now, attempts from 0. Only a failed row."""
    return bool(
        ScheduledEffect.objects.filter(pk=effect.pk, state=EffectState.FAILED).update(
            state=EffectState.PENDING, due_at=timezone.now(), attempts=0, failed_at=None, failure_reason=""
        )
    )
