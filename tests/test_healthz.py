"""/healthz tells whether the database, the broker and a worker answer; 503 when one does not."""

import pytest
from django.urls import reverse

from portal.services import heartbeat_record

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_healthz_is_ok_with_a_running_worker(client, celery_worker):
    heartbeat_record(name="beat")  # beat ticked just now (this run may be older than the grace period)
    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "broker": True,
        "scheduler": True,
        "worker": True,
    }
    assert "no-store" in response["Cache-Control"]


def test_healthz_reports_a_stopped_worker_as_503(client, celery_worker):
    heartbeat_record(name="beat")  # beat ticked just now (this run may be older than the grace period)
    assert client.get(reverse("healthz")).status_code == 200
    celery_worker.stop()

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["worker"] == {"ok": False, "detail": "no worker answered"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True


def test_healthz_reports_a_killed_worker_as_503(client, celery_worker):
    celery_worker.kill()
    assert client.get(reverse("healthz")).status_code == 503
