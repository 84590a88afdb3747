"""/healthz reports a scheduler that has not ticked for 5 minutes, after a start-up grace period."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import health
from portal.models import Heartbeat

pytestmark = pytest.mark.django_db

FIVE = timedelta(minutes=5)


@pytest.fixture
def started_long_ago(monkeypatch):
    monkeypatch.setattr(health, "PROCESS_STARTED_AT", timezone.now() - timedelta(hours=1))


def beat_at(moment):
    Heartbeat.objects.update_or_create(name="beat", defaults={"seen_at": moment, "count": 1})


def test_a_recent_tick_is_healthy(started_long_ago):
    beat_at(timezone.now() - timedelta(minutes=4, seconds=59))
    ok, detail = health.check_scheduler()
    assert ok and detail.startswith("last tick")


def test_a_tick_older_than_five_minutes_is_unhealthy_with_the_reason(started_long_ago):
    seen = timezone.now() - FIVE - timedelta(seconds=1)
    beat_at(seen)
    assert health.check_scheduler() == (False, f"the scheduler has not ticked since {seen.isoformat()}")


def test_no_tick_at_all_is_unhealthy_once_the_grace_period_is_over(started_long_ago):
    assert health.check_scheduler() == (False, "the scheduler has not ticked in 5 minutes since start-up")


def test_a_fresh_start_waits_for_the_first_tick(monkeypatch):
    """A fresh install (`make run`) or a restart: beat's first tick comes within a minute."""
    monkeypatch.setattr(health, "PROCESS_STARTED_AT", timezone.now() - timedelta(minutes=4))
    assert health.check_scheduler() == (True, "waiting for the first tick since start-up")
    beat_at(timezone.now() - timedelta(days=2))  # a stale tick from before the restart
    assert health.check_scheduler()[0] is True


def test_healthz_answers_503_naming_the_scheduler(client, started_long_ago):
    beat_at(timezone.now() - timedelta(minutes=10))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    check = response.json()["checks"]["scheduler"]
    assert check["ok"] is False and "has not ticked since" in check["detail"]
