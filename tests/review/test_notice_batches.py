"""The review's notices — a reviewer's reminder, the officers' overdue notice, the ansvarlige's
reminders before an offer lapses and before a project report is due, the officers' notice of a late
report — written in one statement per cause and e-mailed in batches (``scheduling.notices``), as the
draft reminders are: each person once, a failed batch resending only what was not sent."""

import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.models import Membership
from review.deadlines import offer_reminder_due, review_overdue_due, review_reminder_due
from review.models import Outcome, ProjectReport, ReviewAssignment
from review.reports import report_overdue_due, report_reminder_due
from review.services import decision_confirm, decision_prepare, reviewer_assign
from scheduling import notices
from scheduling.engine import effects_sweep
from scheduling.models import Notice, ScheduledEffect
from scheduling.notices import NOTICE_MAIL
from tests.factories import MembershipFactory
from tests.review.test_reports import funded
from tests.review.test_review_services import assessed, in_review
from tests.scheduling.test_notice_batches import counting_mailer  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
DUE = date(2030, 4, 23)


def _assignment(call_world):
    application = in_review(call_world)
    with time_machine.travel(datetime(2030, 4, 1, 10, tzinfo=OSLO), tick=False):
        return reviewer_assign(application_id=application.pk, reviewer=call_world["reviewers"][0],
                               by_user=call_world["officers"][0], due_date=DUE)  # fmt: skip


def _more_ansvarlige(application, n=2):
    return [MembershipFactory(organisation=application.organisation, role=Membership.Role.ANSVARLIG).user
            for _ in range(n)]  # fmt: skip


def review_reminder(call_world):
    assignment = _assignment(call_world)
    return (lambda: review_reminder_due(assignment_id=assignment.pk), datetime(2030, 4, 16, 9, tzinfo=OSLO),
            [assignment.reviewer.email])  # fmt: skip


def review_overdue(call_world):
    assignment = _assignment(call_world)
    return (lambda: review_overdue_due(assignment_id=assignment.pk), datetime(2030, 4, 24, 8, tzinfo=OSLO),
            [o.email for o in call_world["officers"]])  # fmt: skip


def offer_reminder(call_world):
    application = assessed(call_world)
    first, second = call_world["officers"]
    decision = decision_prepare(application_id=application.pk, by_user=first, outcome=Outcome.APPROVE,
                                granted_amount=Decimal(100_000))  # fmt: skip
    decision_confirm(decision_id=decision.pk, by_user=second)
    people = [application.ansvarlig, *_more_ansvarlige(application)]
    application.offer.refresh_from_db()
    return (lambda: offer_reminder_due(offer_id=application.offer.pk, offset="7d"),
            application.offer.deadline - timedelta(days=7), [p.email for p in people])  # fmt: skip


def report_reminder(call_world):
    application = funded(call_world)
    people = [application.ansvarlig, *_more_ansvarlige(application)]
    report = ProjectReport.objects.get(application=application, kind=ProjectReport.Kind.PROGRESS)
    return (lambda: report_reminder_due(report_id=report.pk, offset="14d"), datetime(2031, 1, 18, 9, tzinfo=OSLO),
            [p.email for p in people])  # fmt: skip


def report_overdue(call_world):
    application = funded(call_world)
    report = ProjectReport.objects.get(application=application, kind=ProjectReport.Kind.PROGRESS)
    return (lambda: report_overdue_due(report_id=report.pk), datetime(2031, 2, 3, 8, tzinfo=OSLO),
            [o.email for o in call_world["officers"]])  # fmt: skip


CASES = {
    Notice.Kind.REVIEW_REMINDER: review_reminder,
    Notice.Kind.REVIEW_OVERDUE: review_overdue,
    Notice.Kind.OFFER_REMINDER: offer_reminder,
    Notice.Kind.REPORT_REMINDER: report_reminder,
    Notice.Kind.REPORT_OVERDUE: report_overdue,
}


@pytest.fixture(params=list(CASES), ids=str)
def cause(request, call_world):
    run, moment, people = CASES[request.param](call_world)
    ScheduledEffect.objects.all().delete()  # receipts, letters and the causes' own rows: not counted here
    mail.outbox.clear()
    return request.param, run, moment, sorted(people)


def run_at(moment, eager, run, *, batch):
    with time_machine.travel(moment, tick=False), mock.patch.object(notices, "MAIL_BATCH", batch), eager():
        return run()


def sweep_at(moment, eager):
    with time_machine.travel(moment, tick=False), eager():
        effects_sweep()


def test_written_in_one_statement_and_sent_once_over_one_connection_per_batch(cause, eager, counting_mailer):  # noqa: F811
    kind, run, moment, people = cause
    with CaptureQueriesContext(connection) as queries:
        assert run_at(moment, eager, run, batch=2) == len(people)
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("WITH r(application_id, user_id)")]
    assert len(inserts) == 1 and 'INSERT INTO "scheduling_notice"' in inserts[0]
    written = Notice.objects.filter(kind=kind)
    assert sorted(written.values_list("user__email", flat=True)) == people
    batches = ScheduledEffect.objects.filter(kind=NOTICE_MAIL)
    assert batches.count() == counting_mailer.opened == math.ceil(len(people) / 2)
    assert set(batches.values_list("state", flat=True)) == {"done"}
    assert sorted(m.to[0] for m in mail.outbox) == people
    assert written.filter(emailed_at__isnull=True).count() == 0

    assert run_at(moment + timedelta(minutes=1), eager, run, batch=2) == 0  # the cause's row run again
    for minutes in (2, 60):
        sweep_at(moment + timedelta(minutes=minutes), eager)
    assert (written.count(), len(mail.outbox)) == (len(people), len(people))


def test_a_failed_batch_resends_only_what_was_not_sent(cause, eager, counting_mailer):  # noqa: F811
    kind, run, moment, people = cause
    before_failure = min(1, len(people) - 1)  # a reviewer's reminder is one message: it fails at once
    counting_mailer.fail_after = before_failure  # the mail server drops the connection part-way
    run_at(moment, eager, run, batch=10)
    sent_first = [m.to[0] for m in mail.outbox]
    assert len(sent_first) == before_failure
    first, retry = ScheduledEffect.objects.filter(kind=NOTICE_MAIL).order_by("pk")
    assert first.state == "done" and len(first.payload["notices"]) == len(people)
    assert retry.state == "pending" and len(retry.payload["notices"]) == len(people) - len(sent_first)
    assert "SMTPServerDisconnected" in retry.failure_reason

    sweep_at(moment + timedelta(minutes=1), eager)
    assert sorted(m.to[0] for m in mail.outbox) == people  # each exactly once
    for minutes in (2, 5, 60):
        sweep_at(moment + timedelta(minutes=minutes), eager)
    assert len(mail.outbox) == len(people)
    assert Notice.objects.filter(kind=kind, emailed_at__isnull=True).count() == 0


def test_a_row_armed_one_per_person_before_the_batches_is_still_sent_once(call_world, eager):
    run, moment, people = review_overdue(call_world)
    ScheduledEffect.objects.all().delete()
    mail.outbox.clear()
    assignment = ReviewAssignment.objects.get(application__call=call_world["call"])
    officer = call_world["officers"][0]
    key = f"review-overdue:{assignment.pk}:user:{officer.pk}"
    ScheduledEffect.objects.create(kind="review-notice", key=f"review-notice:{key}", due_at=moment,
                                   target_type="application", target_id=assignment.application_id,
                                   payload={"user": officer.pk, "notice": Notice.Kind.REVIEW_OVERDUE, "key": key,
                                            "data": {"due": DUE.isoformat(), "assignment": assignment.pk,
                                                     "reviewer": "Fagekspert"}})  # fmt: skip
    sweep_at(moment, eager)
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert run_at(moment + timedelta(minutes=1), eager, run, batch=2) == len(people) - 1  # the rest, not him again
    assert sorted(m.to[0] for m in mail.outbox) == sorted(people)
