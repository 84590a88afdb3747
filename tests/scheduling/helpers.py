from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from scheduling.models import ScheduledEffect
from scheduling.services import call_schedule
from tests.factories import CallFactory

OSLO = ZoneInfo("Europe/Oslo")
OPENS = datetime(2027, 3, 1, 9, 0, tzinfo=OSLO)
CLOSES = datetime(2027, 4, 15, 13, 0, tzinfo=OSLO)


def scheduled_call(**kwargs):
    """A call opening at OPENS and closing at CLOSES, with its rows armed (as the admin does)."""
    call = CallFactory(opens_at=kwargs.pop("opens_at", OPENS), closes_at=kwargs.pop("closes_at", CLOSES), **kwargs)
    call_schedule(call=call)
    return call


def drill_rows(n: int, *, kind: str = "drill-count", due_at=None, payload=None, prefix: str = "drill"):
    due_at = due_at or datetime(2020, 1, 1, tzinfo=OSLO)
    return ScheduledEffect.objects.bulk_create(
        ScheduledEffect(kind=kind, key=f"{prefix}:{i}", due_at=due_at, payload=payload or {}) for i in range(n)
    )


def states():
    return dict(ScheduledEffect.objects.values_list("key", "state"))


MINUTE = timedelta(minutes=1)
