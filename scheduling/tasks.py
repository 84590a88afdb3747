"""Thin tasks: take ids, call the engine. Retries are rows (a later ``due_at``), not Celery
countdowns, so nothing waits in the broker for longer than it takes to run."""

import logging

from celery import shared_task

from portal.publish import publish_on_commit

from .engine import effect_fail, effect_run, effects_sweep

logger = logging.getLogger(__name__)


@shared_task(name="scheduling.sweep")
def sweep() -> dict:
    result = effects_sweep()
    if result.more:
        # More due rows than one sweep takes: another sweep at once rather than a minute later.
        publish_on_commit(sweep)
    return result.__dict__


@shared_task(name="scheduling.run_effect")
def run_effect(effect_id: int, token: int) -> bool:
    try:
        return effect_run(effect_id=effect_id, token=token)
    except Exception as exc:
        logger.exception("scheduled effect %s failed", effect_id)
        effect_fail(effect_id=effect_id, token=token, reason=f"{type(exc).__name__}: {exc}")
        return False
