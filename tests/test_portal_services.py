from datetime import UTC, datetime

import pytest
import time_machine

from portal.models import Heartbeat
from portal.services import heartbeat_record

pytestmark = pytest.mark.django_db


def test_heartbeat_records_the_time_and_counts_each_beat():
    with time_machine.travel(datetime(2026, 11, 22, 12, 0, tzinfo=UTC), tick=False):
        heartbeat_record(name="beat")
    with time_machine.travel(datetime(2026, 11, 22, 12, 1, tzinfo=UTC), tick=False):
        beat = heartbeat_record(name="beat")
    assert beat.seen_at == datetime(2026, 11, 22, 12, 1, tzinfo=UTC)
    assert beat.count == 2
    assert Heartbeat.objects.count() == 1
