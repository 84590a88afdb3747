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


def test_liveness_asks_nothing_of_the_database_or_broker(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz-live"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readiness_needs_the_database_and_not_the_worker(client):
    """No worker runs here: /healthz is 503, but the web node is ready to serve."""
    assert client.get(reverse("healthz")).status_code == 503
    response = client.get(reverse("healthz-ready"))
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {"database": {"ok": True, "detail": "postgresql"}}


def test_readiness_is_503_when_the_database_does_not_answer(client):
    from django.db import OperationalError, connection

    def database_gone(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(database_gone):
        response = client.get(reverse("healthz-ready"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "detail": "OperationalError"}
