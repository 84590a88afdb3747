"""Beat's periodic tasks come from portal/schedule.py, and the real beat + worker run them."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from portal.models import Heartbeat
from portal.schedule import PERIODIC_TASKS
from tests.processes import test_process_env
from tests.test_celery_worker import wait_for
from tests.worker import database_url_for


@pytest.mark.django_db
def test_setup_periodic_tasks_creates_the_declared_tasks_and_is_safe_to_rerun():
    call_command("setup_periodic_tasks", verbosity=0)
    call_command("setup_periodic_tasks", verbosity=0)
    tasks = PeriodicTask.objects.filter(name__in=PERIODIC_TASKS)
    assert {(t.name, t.task, t.interval.every) for t in tasks} == {
        (name, task, seconds) for name, (task, seconds) in PERIODIC_TASKS.items()
    }
    assert all(t.enabled for t in tasks)


@pytest.mark.django_db
def test_a_task_no_longer_declared_is_disabled_not_left_running():
    call_command("setup_periodic_tasks", verbosity=0)
    interval = PeriodicTask.objects.get(task="portal.scheduler_tick").interval
    stale = PeriodicTask.objects.create(name="gammel", task="portal.record_heartbeat", interval=interval)
    call_command("setup_periodic_tasks", verbosity=0)
    stale.refresh_from_db()
    assert stale.enabled is False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_beat_with_the_database_scheduler_sends_the_tick_and_the_worker_runs_it(celery_worker, tmp_path):
    call_command("setup_periodic_tasks", verbosity=0)
    # The tick last ran two minutes ago, so beat finds it due at once.
    PeriodicTask.objects.filter(task="portal.scheduler_tick").update(last_run_at=timezone.now() - timedelta(minutes=2))
    env = test_process_env(database_url=database_url_for(connection.settings_dict))
    log = (tmp_path / "beat.log").open("wb")
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO",
         "--schedule", str(tmp_path / "beat-schedule")],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert wait_for(lambda: Heartbeat.objects.filter(name="beat").exists(), timeout=30), (
            tmp_path / "beat.log"
        ).read_text() + celery_worker.log_tail()
    finally:
        beat.terminate()
        beat.wait(timeout=10)
        log.close()
