"""Deadlines at scale (`make bench` prints the figures; PostgreSQL):

- a call with 100 000 drafts (written by one ``INSERT … SELECT generate_series``) closes in a few
  set-based statements, state and timeline events together (``BENCH close-100k``, target ≤ 2 s),
  compared with a per-row loop (timed on a sample of 2 000 rows and extrapolated: stated as such);
- 100 000 reminders (``BENCH reminders-100k``, target ≤ 60 s): the reminder sweep writes one notice
  per person and draft in one statement and arms one e-mail batch row per ``MAIL_BATCH`` of them;
  each batch is claimed and run exactly once by the engine, renders its templates once per language
  (``portal.mailbatch``) and hands the messages to a real SMTP server (a local SMTP sink in a
  process of its own, offering PIPELINING, ``tests.bench.smtp_sink``) over one connection. The tasks
  are run in processes forked from this one, as the prefork worker would run them
  (``BENCH_MAIL_WORKERS`` batches at a time, 2 as docker-compose.yml's worker), so the figure is the
  engine's, the database's and SMTP's, not the broker's. The line also gives the CPU seconds of the
  batches and of the sink: on a shared machine the wall-clock figure grows with the other load, the
  CPU figure does not.

Sizes: BENCH_DRAFTS (100 000), BENCH_LOOP_SAMPLE (2 000), BENCH_REMINDERS (100 000), BENCH_MAIL_WORKERS (2)."""

import multiprocessing
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from applications.models import Application, ApplicationEvent, EventKind
from applications.services import applications_close_at_deadline
from applications.services.common import event_record, lock_application
from applications.workflow import State
from organisations.models import Membership, Organisation
from portal.emails import TemplatedEmail
from scheduling.engine import effects_sweep
from scheduling.models import Notice, ScheduledEffect
from scheduling.notices import MAIL_BATCH, NOTICE_MAIL
from scheduling.services import call_schedule
from scheduling.tasks import run_effect
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db(transaction=True)

DRAFTS = int(os.environ.get("BENCH_DRAFTS", 100_000))
LOOP_SAMPLE = int(os.environ.get("BENCH_LOOP_SAMPLE", 2_000))
REMINDERS = int(os.environ.get("BENCH_REMINDERS", 100_000))
MAIL_WORKERS = int(os.environ.get("BENCH_MAIL_WORKERS", 2))  # docker-compose.yml's worker --concurrency
ORGANISATIONS = 1_000


def _organisations(n, *, with_ansvarlig=False):
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Bench {i}", org_number=f"7{i:08d}", kind="statlig") for i in range(n)
    )
    if not with_ansvarlig:
        return [o.pk for o in orgs], None
    users = User.objects.bulk_create(
        User(email=f"bench{i}@example.no", language=("nb", "nn", "en")[i % 3]) for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=o, role=Membership.Role.ANSVARLIG) for u, o in zip(users, orgs, strict=True)
    )
    return [o.pk for o in orgs], [u.pk for u in users]


def _drafts_sql(call, organisation_ids, n, *, user_ids=None):
    """``n`` drafts of ``call`` in one ``INSERT … SELECT generate_series`` (seconds, not minutes),
    spread over the organisations; created and last saved by the organisation's ``user_ids`` (same
    order) if given, each with its own ``creation_key``, as a draft started on the portal's pages has."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO applications_application (call_id, organisation_id, created_by_id, updated_by_id,
                creation_key, title, state, form, answers, pending_input, sections, justifications, publicity,
                created_at, updated_at, withdrawal_reason)
            SELECT %(call)s, (%(orgs)s::bigint[])[1 + i %% %(n_orgs)s], u.id, u.id, gen_random_uuid(),
                   'Utkast ' || i, 'utkast', '{"definition": {"sections": []}}', '{}', '{}', '{}', '{}', '{}', %(now)s,
                   %(now)s, ''
            FROM generate_series(1, %(n)s) AS i,
                 LATERAL (SELECT (%(users)s::bigint[])[1 + i %% %(n_orgs)s] AS id) AS u
            """,
            {"call": call.pk, "orgs": organisation_ids, "n_orgs": len(organisation_ids), "n": n,
             "users": user_ids or [None] * len(organisation_ids), "now": timezone.now()},
        )  # fmt: skip
        cursor.execute("ANALYZE applications_application")


def test_a_call_with_100k_drafts_closes_in_a_few_set_based_statements():
    past = timezone.now() - timedelta(minutes=1)
    call = CallFactory(opens_at=past - timedelta(days=30), closes_at=past)
    sample_call = CallFactory(opens_at=past - timedelta(days=30), closes_at=past)
    # Drafts as the portal's pages leave them (creator, last editor, creation key): each of those
    # columns has an index the close must maintain, so a bench without them would flatter it.
    org_ids, user_ids = _organisations(100, with_ansvarlig=True)
    _drafts_sql(call, org_ids, DRAFTS, user_ids=user_ids)
    _drafts_sql(sample_call, org_ids, LOOP_SAMPLE, user_ids=user_ids)

    backend = _backend_pid()
    started, backend_cpu = time.perf_counter(), _cpu_seconds(backend)
    result = applications_close_at_deadline(call=call)  # its own transaction: the commit is timed too
    set_based, backend_cpu = time.perf_counter() - started, _cpu_seconds(backend) - backend_cpu
    assert result.not_submitted == DRAFTS
    assert Application.objects.filter(call=call, state=State.NOT_SUBMITTED).count() == DRAFTS
    events = ApplicationEvent.objects.filter(application__call=call, kind=EventKind.NOT_SUBMITTED)
    assert events.count() == events.values("application").distinct().count() == DRAFTS  # one each
    assert events.first().data == {"deadline": call.closes_at.isoformat()}

    # The same effect one application at a time, as a naive loop would do it: lock, save, event.
    started = time.perf_counter()
    for pk in Application.objects.filter(call=sample_call).values_list("pk", flat=True):
        with transaction.atomic():
            application = lock_application(pk)
            application.state = State.NOT_SUBMITTED
            application.save(update_fields=["state"])
            event_record(application, EventKind.NOT_SUBMITTED, from_state=State.DRAFT, to_state=State.NOT_SUBMITTED)
    loop_sample = time.perf_counter() - started
    loop_extrapolated = loop_sample / LOOP_SAMPLE * DRAFTS

    started = time.perf_counter()
    again = applications_close_at_deadline(call=call)  # a rerun: nothing left to change
    rerun = time.perf_counter() - started
    assert (again.not_submitted, again.fell_back) == (0, 0)
    assert events.count() == DRAFTS
    print(
        f"\nclose at the deadline: {DRAFTS:,} drafts → not submitted (+ timeline events) in {set_based:.2f}s set-based"
        f" ({DRAFTS / set_based:,.0f}/s); per-row loop measured on {LOOP_SAMPLE:,} rows: {loop_sample:.2f}s, "
        f"extrapolated to {DRAFTS:,}: {loop_extrapolated:.0f}s → {loop_extrapolated / set_based:.0f}× slower; "
        f"rerun {rerun:.2f}s, changed nothing"
    )
    print(f"CPU of the database backend for the close: {backend_cpu:.2f}s; load average {os.getloadavg()[0]:.1f}")
    label = "close-100k" if DRAFTS == 100_000 else f"close-{DRAFTS}"
    print(f"BENCH {label} {set_based:.2f} s target <=2 {'PASS' if set_based <= 2 else 'FAIL'}")


@pytest.fixture
def smtp_sink(tmp_path, settings):
    """A local SMTP server (``tests.bench.smtp_sink``, asyncio) in a process of its own, and the
    portal's mailer pointed at it: every message really crosses an SMTP connection."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    count_file = tmp_path / "smtp-count"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.smtp_sink", str(port), str(count_file)], cwd=settings.BASE_DIR
    )
    deadline = time.monotonic() + 30
    while not count_file.exists():
        assert time.monotonic() < deadline and process.poll() is None, "the SMTP sink did not start"
        time.sleep(0.1)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30}}}  # fmt: skip

    def received(expected: int, timeout: float = 60) -> int:
        end = time.monotonic() + timeout
        while True:
            n = int(count_file.read_text() or 0)
            if n >= expected or time.monotonic() > end:
                return n
            time.sleep(0.2)

    received.cpu_seconds = lambda: _cpu_seconds(process.pid)
    yield received
    process.terminate()
    process.wait(timeout=10)


def _cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU time of this process (or of ``pid``, from /proc): a figure the other load
    on a shared machine does not inflate, unlike the wall-clock one."""
    if pid is None:
        t = os.times()
        return t.user + t.system
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115 - Linux only, bench
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _backend_pid() -> int:
    """This connection's PostgreSQL backend process (the database runs on this machine in the bench)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def run_in_worker(task) -> float:
    started = _cpu_seconds()
    try:
        run_effect(*task)
    finally:
        connections.close_all()  # this process's own database connection
    return _cpu_seconds() - started


def test_100k_reminders_are_created_and_handed_to_an_smtp_server_in_batches(smtp_sink):
    now = timezone.now()
    call = CallFactory(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7) - timedelta(minutes=1))
    org_ids, user_ids = _organisations(ORGANISATIONS, with_ansvarlig=True)
    _drafts_sql(call, org_ids, REMINDERS, user_ids=user_ids)  # creator = the ansvarlig: one person each
    call_schedule(call=call)

    worker_cpu = []

    def run_all():
        """Sweep until nothing is due, running each claimed task here, as the worker would."""
        tasks = []
        with (
            mock.patch(
                "scheduling.tasks.run_effect.apply_async", side_effect=lambda args, kwargs: tasks.append(tuple(args))
            ),
            mock.patch("scheduling.tasks.sweep.apply_async"),
        ):
            while True:
                result = effects_sweep(batch_size=500, max_batches=4)
                # The worker's processes side by side (prefork, as docker-compose.yml's worker): processes,
                # not threads, which would share one GIL. Forked without an open database connection.
                connections.close_all()
                with ProcessPoolExecutor(MAIL_WORKERS, mp_context=multiprocessing.get_context("fork")) as pool:
                    worker_cpu.append(sum(pool.map(run_in_worker, tasks)))
                tasks.clear()
                if not result.claimed:
                    return

    # Loaded once, before the processes fork, as a long-lived worker process has them after its first
    # task: the URLconf, the template engine with the e-mail's templates, the languages' catalogues.
    reverse("my-page")
    TemplatedEmail("scheduling/email/draft_reminder")
    for language in ("nb", "nn", "en"):
        with translation.override(language):
            translation.gettext("Min side")
    started, main_cpu, sink_cpu = time.perf_counter(), _cpu_seconds(), smtp_sink.cpu_seconds()
    run_all()
    handed_over = time.perf_counter() - started
    received = smtp_sink(REMINDERS)
    elapsed = time.perf_counter() - started
    cpu = (f"CPU: sweeps {_cpu_seconds() - main_cpu:.1f}s, batches {sum(worker_cpu):.1f}s, "
           f"SMTP sink {smtp_sink.cpu_seconds() - sink_cpu:.1f}s; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    reminders = Notice.objects.filter(kind=Notice.Kind.DRAFT_REMINDER)
    assert reminders.count() == REMINDERS
    assert reminders.filter(emailed_at__isnull=False).count() == REMINDERS
    batches = ScheduledEffect.objects.filter(kind=NOTICE_MAIL)
    assert set(batches.values_list("state", "attempts")) == {("done", 1)}
    assert received == REMINDERS

    call_schedule(call=call)  # the call saved again, and more sweeps: nothing twice
    run_all()
    assert smtp_sink(REMINDERS + 1, timeout=2) == REMINDERS
    print(
        f"\nreminders: {REMINDERS:,} notices written in one statement, e-mailed in {batches.count()} batches of "
        f"≤{MAIL_BATCH} over one SMTP connection each (local SMTP sink; {MAIL_WORKERS} batches at a time): "
        f"all handed to the mail backend in {handed_over:.1f}s, all received by the server after {elapsed:.1f}s "
        f"({REMINDERS / elapsed:,.0f}/s); a rerun sent nothing. {cpu}"
    )
    label = "reminders-100k" if REMINDERS == 100_000 else f"reminders-{REMINDERS}"
    print(f"BENCH {label} {elapsed:.1f} s target <=60 {'PASS' if elapsed <= 60 else 'FAIL'}")
