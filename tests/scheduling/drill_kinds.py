"""Effect kinds that exist only in the tests (registered through SCHEDULING_EXTRA_HANDLER_MODULES
in tests/settings.py, so the live worker knows them too)."""

import time

from portal.services import heartbeat_record
from scheduling.registry import register


@register("drill-count")
def handle_count(effect):
    """Counts its applications: a Heartbeat named after the row, whose ``count`` is how many times
    the effect committed. Optionally slow (``payload["sleep"]`` seconds), inside the transaction."""
    time.sleep(effect.payload.get("sleep", 0))
    heartbeat_record(name=effect.key)


@register("drill-fail")
def handle_fail(effect):
    heartbeat_record(name=effect.key)  # rolled back with the failure: never counted
    raise RuntimeError("drill: the mail server said no")
