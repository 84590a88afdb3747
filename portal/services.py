from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Heartbeat
from .publish import publish_on_commit


def heartbeat_record(*, name: str) -> Heartbeat:
    """Record that ``name`` is alive now. Safe to run twice: it only moves the time forward."""
    now = timezone.now()
    with transaction.atomic():
        beat, created = Heartbeat.objects.select_for_update().get_or_create(
            name=name, defaults={"seen_at": now, "count": 1}
        )
        if not created:
            Heartbeat.objects.filter(pk=beat.pk).update(seen_at=now, count=F("count") + 1)
            beat.refresh_from_db()
    return beat


def heartbeat_request(*, name: str) -> None:
    """Ask a worker to record a heartbeat, once the surrounding transaction has committed."""
    from .tasks import record_heartbeat

    publish_on_commit(record_heartbeat, name)
