"""Fault drills under load (issue 18, `make drills`): saves and submissions are posted from
several threads while the service under them restarts. After each: no stored save lost, no failed
save reported as saved, every process recovered by itself.

- Redis (the broker) restarts: runs on the drill's own Redis (DRILL_OWN_REDIS=1, `make drills`).
- PostgreSQL restarts: runs only on a PostgreSQL of its own (DRILL_OWN_POSTGRES=1 and
  DRILL_POSTGRES_DATA=<its data directory>, which `make drills-postgres` creates with initdb on
  DRILL_POSTGRES_PORT and points DATABASE_URL at): the machine's shared PostgreSQL is never
  restarted."""

import os
import subprocess
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from applications.models import Application, ApplicationVersion
from organisations.models import Membership
from portal.celery import app as celery_app
from portal.tasks import scheduler_tick
from scheduling.models import ScheduledEffect
from tests.applications.helpers import complete_application
from tests.factories import FULL_FORM_POSTS, MembershipFactory, make_application
from tests.html import visible_text
from tests.scheduling.test_drills import OWN_REDIS, restart_redis
from tests.test_celery_worker import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker, pytest.mark.drill]

OWN_POSTGRES = os.environ.get("DRILL_OWN_POSTGRES") == "1"
THREADS = 4
SAVED = "Lagret kl."
NOT_SAVED = "Det du sendte nå, ble ikke lagret."


def _section_url(application):
    return reverse("application-section", args=[application.pk, "om-prosjektet"])


class Saver(threading.Thread):
    """Posts the «Om prosjektet» section again and again, each time with a new summary, and notes
    what each answer said: saved (the page says «Lagret kl.»), not saved (the fault page says so),
    or something else (a lie or a bare error: the drill fails on it)."""

    def __init__(self, application, user, stop: threading.Event):
        super().__init__()
        self.application, self.stop = application, stop
        self.client = Client(raise_request_exception=False)
        self.client.force_login(user)
        self.outcomes: list[tuple[str, str]] = []  # (summary sent, "saved" | "not-saved" | other)
        self.version = 0

    def run(self):
        try:
            n = 0
            while not self.stop.is_set():
                n += 1
                summary = f"Lagring {n} fra tråd {self.name}"
                data = {**FULL_FORM_POSTS["om-prosjektet"], "sammendrag": summary, "base_version": str(self.version)}
                response = self.client.post(_section_url(self.application), data, follow=True)
                text = visible_text(response)
                if response.status_code == 200 and SAVED in text:
                    self.version += 1
                    self.outcomes.append((summary, "saved"))
                elif response.status_code == 503 and NOT_SAVED in text:
                    self.outcomes.append((summary, "not-saved"))
                    time.sleep(0.2)
                else:
                    self.outcomes.append((summary, f"{response.status_code}: {text[:200]}"))
        finally:
            connection.close()


def _logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)  # before the load: logging in is not what the drill tests
    return client


def _submit(client, application) -> tuple[int, str]:
    try:
        response = client.post(reverse("application-submit", args=[application.pk]))
    finally:
        connection.close()
    return response.status_code, visible_text(response) if response.status_code != 302 else ""


def _drafts(n):
    rows = []
    for _ in range(n):
        ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
        application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
        rows.append((application, ansvarlig.user))
    return rows


def _assert_no_save_lost_and_none_lied_about(savers):
    for saver in savers:
        assert saver.outcomes, "the thread posted nothing"
        liars = [(summary, outcome) for summary, outcome in saver.outcomes if outcome not in {"saved", "not-saved"}]
        assert liars == [], liars
        saved = [summary for summary, outcome in saver.outcomes if outcome == "saved"]
        stored = Application.objects.get(pk=saver.application.pk)
        # Saves are sequential per thread: what is stored is the last one reported as saved.
        assert stored.answers.get("sammendrag") == (saved[-1] if saved else None), saver.outcomes[-3:]
        assert stored.section_version("om-prosjektet") == len(saved)


def _run_load_across(restart, *, private_storage, celery_worker):
    drafts = _drafts(THREADS)
    ready = _drafts(THREADS)
    for application, user in ready:
        complete_application(application, user)
    clients = [(application, _logged_in(user)) for application, user in ready]
    stop = threading.Event()
    savers = [Saver(application, user, stop) for application, user in drafts]
    for saver in savers:
        saver.start()
    time.sleep(1)
    submissions: list = []
    submitters = [threading.Thread(target=lambda a=a, c=c: submissions.append((a, _submit(c, a)))) for a, c in clients]
    for thread in submitters[: THREADS // 2]:
        thread.start()
    restart()  # while the savers post and the first submissions run
    connection.close()  # this thread's connection may have died with the restart: a new one
    for thread in submitters[THREADS // 2 :]:
        thread.start()
    time.sleep(2)
    stop.set()
    for thread in [*savers, *submitters]:
        thread.join(timeout=120)
    return savers, submissions


@pytest.mark.skipif(not OWN_REDIS, reason="restarts Redis: only on a Redis of its own (make drills)")
def test_drill_redis_restarts_under_saves_and_submissions(private_storage, celery_worker):
    savers, submissions = _run_load_across(restart_redis, private_storage=private_storage, celery_worker=celery_worker)

    _assert_no_save_lost_and_none_lied_about(savers)
    # Saves do not need the broker: none failed. Submissions publish after commit: never a 500.
    assert all(outcome == "saved" for saver in savers for _, outcome in saver.outcomes)
    assert sorted(status for _, (status, _) in submissions) == [302] * THREADS, submissions
    for application, _ in submissions:
        assert ApplicationVersion.objects.filter(application=application).count() == 1
    # Recovered: the worker answers, and the next tick delivers every receipt the restart lost.
    assert wait_for(lambda: celery_app.control.ping(destination=[celery_worker.hostname], timeout=0.5), timeout=60)
    receipts = ScheduledEffect.objects.filter(kind="application-receipt")
    for _ in range(3):
        scheduler_tick.delay()
        if wait_for(lambda: receipts.exclude(state="done").count() == 0, timeout=20):
            break
    assert receipts.count() == THREADS and set(receipts.values_list("state", flat=True)) == {"done"}


def restart_postgres() -> None:
    """pg_ctl restart of the drill's own cluster (fast mode: every connection is cut)."""
    data = os.environ["DRILL_POSTGRES_DATA"]
    command = ["pg_ctl", "-D", data, "-m", "fast", "-w", "restart", "-l", f"{data}/drill.log"]
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        command = ["runuser", "-u", os.environ.get("DRILL_POSTGRES_USER", "postgres"), "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


@pytest.mark.skipif(not OWN_POSTGRES, reason="restarts PostgreSQL: only on one of its own (make drills-postgres)")
def test_drill_postgres_restarts_under_saves_and_submissions(private_storage, celery_worker):
    savers, submissions = _run_load_across(
        restart_postgres, private_storage=private_storage, celery_worker=celery_worker
    )

    _assert_no_save_lost_and_none_lied_about(savers)
    for application, (status, text) in submissions:
        versions = ApplicationVersion.objects.filter(application=application).count()
        if status == 302:
            assert versions == 1  # reported as submitted: it is
        else:
            assert (status, versions) == (503, 0), text  # reported as not saved: it is not
            assert NOT_SAVED in text
    # Recovered: pages and the worker work again without a restart of either.
    client = Client()
    assert wait_for(lambda: client.get(reverse("healthz-ready")).status_code == 200, timeout=30)
    assert wait_for(lambda: celery_app.control.ping(destination=[celery_worker.hostname], timeout=0.5), timeout=60)
