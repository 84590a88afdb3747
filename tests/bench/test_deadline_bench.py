"""Deadlines at scale (`make bench` prints the figures; PostgreSQL):

- a call with 100 000 drafts (written by one ``INSERT … SELECT generate_series``) closes in a few
  set-based statements, state and timeline events together (``BENCH close-100k``, target ≤ 2 s),
  compared with a per-row loop (timed on a sample of 2 000 rows and extrapolated: stated as such);
- 100 000 reminders go through the engine exactly once: the reminder sweep arms one row per person
  and draft, the sweep claims them in batches and each runs under the state guard, creating its
  notice and rendering and "sending" its e-mail (delivery replaced by a counter: no mail server or
  100 000 messages in memory). The tasks are run in this process, as the worker would run them,
  so the figure is the engine's and the database's, not the broker's.

Sizes: BENCH_DRAFTS (100 000), BENCH_LOOP_SAMPLE (2 000), BENCH_REMINDERS (100 000)."""

import os
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from applications.models import Application, ApplicationEvent, EventKind
from applications.services import applications_close_at_deadline
from applications.services.common import event_record, lock_application
from applications.workflow import State
from organisations.models import Membership, Organisation
from scheduling.engine import effects_sweep
from scheduling.models import Notice, ScheduledEffect
from scheduling.services import call_schedule
from scheduling.tasks import run_effect
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db(transaction=True)

DRAFTS = int(os.environ.get("BENCH_DRAFTS", 100_000))
LOOP_SAMPLE = int(os.environ.get("BENCH_LOOP_SAMPLE", 2_000))
REMINDERS = int(os.environ.get("BENCH_REMINDERS", 100_000))
ORGANISATIONS = 1_000


def _drafts(call, organisation_ids, n, *, user_ids=None):
    rows = [
        Application(
            call=call, organisation_id=organisation_ids[i % len(organisation_ids)], title=f"Utkast {i}",
            created_by_id=user_ids[i % len(user_ids)] if user_ids else None, form={"definition": {"sections": []}},
        )
        for i in range(n)
    ]  # fmt: skip
    Application.objects.bulk_create(rows, batch_size=5000)


def _organisations(n, *, with_ansvarlig=False):
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Bench {i}", org_number=f"7{i:08d}", kind="statlig") for i in range(n)
    )
    if not with_ansvarlig:
        return [o.pk for o in orgs], None
    users = User.objects.bulk_create(User(email=f"bench{i}@example.no", language="nb") for i in range(n))
    Membership.objects.bulk_create(
        Membership(user=u, organisation=o, role=Membership.Role.ANSVARLIG) for u, o in zip(users, orgs, strict=True)
    )
    return [o.pk for o in orgs], [u.pk for u in users]


def _drafts_sql(call, organisation_ids, n):
    """``n`` drafts of ``call`` in one ``INSERT … SELECT generate_series`` (seconds, not minutes)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO applications_application (call_id, organisation_id, title, state, form, answers,
                pending_input, sections, created_at, updated_at, withdrawal_reason)
            SELECT %(call)s, (%(orgs)s::bigint[])[1 + i %% %(n_orgs)s], 'Utkast ' || i, 'utkast',
                   '{"definition": {"sections": []}}', '{}', '{}', '{}', %(now)s, %(now)s, ''
            FROM generate_series(1, %(n)s) AS i
            """,
            {"call": call.pk, "orgs": organisation_ids, "n_orgs": len(organisation_ids), "n": n,
             "now": timezone.now()},
        )  # fmt: skip
        cursor.execute("ANALYZE applications_application")


def test_a_call_with_100k_drafts_closes_in_a_few_set_based_statements():
    past = timezone.now() - timedelta(minutes=1)
    call = CallFactory(opens_at=past - timedelta(days=30), closes_at=past)
    sample_call = CallFactory(opens_at=past - timedelta(days=30), closes_at=past)
    org_ids, _ = _organisations(100)
    _drafts_sql(call, org_ids, DRAFTS)
    _drafts_sql(sample_call, org_ids, LOOP_SAMPLE)

    started = time.perf_counter()
    result = applications_close_at_deadline(call=call)
    set_based = time.perf_counter() - started
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
    label = "close-100k" if DRAFTS == 100_000 else f"close-{DRAFTS}"
    print(f"BENCH {label} {set_based:.2f} s target <=2 {'PASS' if set_based <= 2 else 'FAIL'}")


def test_100k_reminders_are_sent_exactly_once_through_the_engine():
    now = timezone.now()
    call = CallFactory(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7) - timedelta(minutes=1))
    org_ids, user_ids = _organisations(ORGANISATIONS, with_ansvarlig=True)
    _drafts(call, org_ids, REMINDERS, user_ids=user_ids)  # creator = the organisation's ansvarlig: one person each
    call_schedule(call=call)
    sent = {"n": 0}

    def deliver(message, *args, **kwargs):  # rendered in full; only the delivery is left out
        sent["n"] += 1
        return 1

    def run_all():
        """Sweep until nothing is due, running each claimed task here, as the worker would."""
        tasks = []
        with (
            mock.patch("scheduling.tasks.run_effect.delay_on_commit", side_effect=lambda *a: tasks.append(a)),
            mock.patch("scheduling.tasks.sweep.delay_on_commit"),
            mock.patch("django.core.mail.EmailMultiAlternatives.send", deliver),
        ):
            while True:
                result = effects_sweep(batch_size=500, max_batches=4)
                for effect_id, token in tasks:
                    run_effect(effect_id, token)
                tasks.clear()
                if not result.claimed:
                    return

    started = time.perf_counter()
    run_all()
    elapsed = time.perf_counter() - started
    reminders = ScheduledEffect.objects.filter(kind="draft-reminder")
    assert reminders.count() == REMINDERS
    assert set(reminders.values_list("state", "attempts")) == {("done", 1)}
    assert Notice.objects.filter(kind=Notice.Kind.DRAFT_REMINDER, emailed_at__isnull=False).count() == REMINDERS
    assert sent["n"] == REMINDERS

    call_schedule(call=call)  # the call saved again, and more sweeps: nothing twice
    run_all()
    assert sent["n"] == REMINDERS
    print(
        f"\nreminders: {REMINDERS:,} (one per person and draft) armed, claimed and sent exactly once through the "
        f"engine in {elapsed:.1f}s ({REMINDERS / elapsed:,.0f}/s, one process, e-mail rendered, delivery counted)"
    )
