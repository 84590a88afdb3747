"""Nothing ties the portal to one host: two web processes (gunicorn, as docker-compose.yml runs
``web``) that share nothing but PostgreSQL, Redis and an S3 object store serve as one portal.

The object store is moto's S3 server, over HTTP on a free port; each process has a local data
directory of its own (``VAR_DIR``, holding the private directory), which must stay empty. Through
them: a file uploaded through A downloads, the same bytes, through B (and is still refused to
someone else); failed logins through A and B count towards one throttle (the cache is Redis); and
one application submitted through both at the same instant gets exactly one version, the other
request a clear refusal, neither a 500.

The processes run ``tests.settings`` (so they keep this run's controlled clock) with DEBUG off and
the docker-compose.yml environment, pointed at this run's test database, Redis and Celery queue."""

import secrets
import threading

import boto3
import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from moto.server import ThreadedMotoServer

from applications.models import ApplicationEvent, ApplicationVersion, EventKind
from attachments.models import StoredFile
from organisations.models import Membership
from tests.applications.helpers import complete_application
from tests.attachments.files import pdf_bytes
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory, make_application
from tests.processes import Gunicorn
from tests.services import FAST
from tests.worker import database_url_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(FAST, reason="PORTAL_TEST_FAST=1: no web processes are started"),
]

BUCKET = "portal-replicas"
S3_KEY, S3_SECRET = "replicas-test", "replicas-test-secret"  # moto accepts any pair
START_WAIT = 120  # seconds for both processes to load the app on a loaded machine
ALREADY_SUBMITTED = "Søknaden er allerede sendt inn."


@pytest.fixture
def object_store():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=S3_KEY, aws_secret_access_key=S3_SECRET,
                      region_name="us-east-1")  # fmt: skip
    s3.create_bucket(Bucket=BUCKET)
    yield endpoint, s3
    server.stop()


@pytest.fixture
def replicas(object_store, settings, tmp_path):
    """Web processes A and B, each with a local data directory of its own (``VAR_DIR``, where the
    private directory would be), which must stay empty, and a log."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("processes share a PostgreSQL database; a SQLite run's is in memory")
    endpoint, _ = object_store
    secret_key = secrets.token_urlsafe(50)
    settings.SECRET_KEY = secret_key  # the session hashes the processes check are made with their key
    redis_url = settings.REDIS_URL
    env = {
        "DEBUG": "False",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "REDIS_URL": redis_url,
        "CACHE_URL": redis_url.replace("redis://", "rediscache://", 1),  # one throttle count for both
        "THROTTLE_LOGIN_PER_IP": "2",
        # Behind a load balancer, as replicas are: the client address is the one it forwards.
        "TRUSTED_PROXY_COUNT": "1",
        "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "CELERY_CONTROL_EXCHANGE": settings.CELERY_CONTROL_EXCHANGE,
        "PRIVATE_STORAGE_S3_BUCKET": BUCKET,
        "PRIVATE_STORAGE_S3_ENDPOINT_URL": endpoint,
        "PRIVATE_STORAGE_S3_ACCESS_KEY_ID": S3_KEY,
        "PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY": S3_SECRET,
        "PRIVATE_STORAGE_S3_REGION": "us-east-1",
        "SECURE_SSL_REDIRECT": "False",
        "LOG_LEVEL": "WARNING",
    }
    webs = {}
    for name in ("a", "b"):
        host = tmp_path / f"host-{name}"
        host.mkdir()
        webs[name] = Gunicorn(env_overrides={**env, "VAR_DIR": str(host)},
                              log_path=tmp_path / f"gunicorn-{name}.log", workers=1,
                              settings_module="tests.settings")  # fmt: skip
        webs[name].host = host
    try:
        for web in webs.values():
            web.wait_until_ready(START_WAIT)
        yield webs["a"], webs["b"]
    finally:
        for web in webs.values():
            web.process.terminate()  # both shut down at once; stop() waits for each
        for web in webs.values():
            web.stop()
        _purge_test_queue()  # the sweeps the submit published; no worker runs here


def _purge_test_queue():
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


# The client address the "load balancer" forwards: one of this run's own, so the counts of an
# earlier run in the same Redis (whose window may not have ended) never throttle this one.
CLIENT_ADDRESS = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


def browser(web: Gunicorn, user=None) -> httpx.Client:
    """A client of one process: logged in as ``user`` (a session row, as ``force_login`` makes it)
    and holding a CSRF cookie; ``csrf`` is the token to post with it."""
    token = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
    cookies = {settings.CSRF_COOKIE_NAME: token}
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    http = httpx.Client(base_url=web.url, timeout=60, headers={"Cookie": cookie, "X-Forwarded-For": CLIENT_ADDRESS})
    http.csrf = token
    return http


def at_once(*jobs):
    """Run each job in a thread of its own, released together; their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        barrier.wait(timeout=30)
        try:
            results[i] = job()
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[i] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return results


def test_two_web_processes_sharing_only_postgres_redis_and_the_object_store_serve_as_one(object_store, replicas):
    _, s3 = object_store
    a, b = replicas
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    complete_application(application, ansvarlig.user, attach=False)  # the attachment goes through A
    at_a, at_b = browser(a, ansvarlig.user), browser(b, ansvarlig.user)

    # An upload through A …
    upload_url = reverse("application-attachments", args=[application.pk, "prosjektbeskrivelse"])
    response = at_a.post(upload_url, data={"csrfmiddlewaretoken": at_a.csrf},
                         files={"file": ("beskrivelse.pdf", pdf_bytes(), "application/pdf")})  # fmt: skip
    assert response.status_code == 302, response.text[-2000:]
    stored = StoredFile.objects.get()
    assert s3.get_object(Bucket=BUCKET, Key=stored.storage_name)["Body"].read() == pdf_bytes()
    # … downloads, the same bytes, through B; someone else is refused there as anywhere.
    download_url = reverse("file-download", args=[stored.pk])
    response = at_b.get(download_url)
    assert response.status_code == 200
    assert response.content == pdf_bytes()
    assert response.headers["Content-Length"] == str(len(pdf_bytes()))
    assert response.headers["Content-Disposition"] == 'attachment; filename="beskrivelse.pdf"'
    assert browser(b, UserFactory()).get(download_url).status_code == 404

    # Failed logins through A and B count towards one throttle (2 per address here), in Redis.
    anonymous = {"a": browser(a), "b": browser(b)}
    people = [UserFactory(email=f"replika{n}@bergen.kommune.no") for n in range(3)]
    for person, via in zip(people[:2], "ab", strict=True):
        data = {"username": person.email, "password": "feil-passord-123", "csrfmiddlewaretoken": anonymous[via].csrf}
        assert anonymous[via].post(reverse("login"), data=data).status_code == 200
    data = {"username": people[2].email, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": anonymous["a"].csrf}
    assert anonymous["a"].post(reverse("login"), data=data).status_code == 429

    # One application submitted through A and B at the same instant: one version.
    submit_url = reverse("application-submit", args=[application.pk])
    results = at_once(*(lambda c=c: c.post(submit_url, data={"csrfmiddlewaretoken": c.csrf}) for c in (at_a, at_b)))
    statuses = sorted(getattr(r, "status_code", repr(r)) for r in results)
    assert statuses == [200, 302], statuses
    refused = next(r for r in results if r.status_code == 200)
    assert ALREADY_SUBMITTED in refused.text
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert ApplicationEvent.objects.filter(application=application, kind=EventKind.SUBMITTED).count() == 1
    application.refresh_from_db()
    assert application.reference

    # Neither process kept a file of its own.
    for web in (a, b):
        assert list(web.host.rglob("*")) == [], web.host
