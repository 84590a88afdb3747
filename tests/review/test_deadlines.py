"""The review's deadlines through the scheduler, with the clock moved (time-machine): a reviewer is
reminded two working days before the due date, the officers are told the morning after it, and the
ansvarlige are reminded before an offer lapses — each once, and never about what was done already."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from review.models import Outcome
from review.services import (
    conflict_declare,
    decision_confirm,
    decision_prepare,
    offer_answer,
    review_save,
    reviewer_assign,
)
from scheduling.engine import effects_sweep
from scheduling.models import Notice, ScheduledEffect
from tests.review.test_review_services import assessed, in_review

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
DUE = date(2030, 4, 23)  # a Tuesday after Easter: two working days before it is Tuesday 16 April
# (22 April is Easter Monday, 19 and 18 April Good Friday and Maundy Thursday, then the weekend).


def sweep_at(moment, eager):
    with time_machine.travel(moment, tick=False), eager():
        effects_sweep()


def notices(kind):
    return sorted((n.user.email, n.key.split(":")[1]) for n in Notice.objects.filter(kind=kind).select_related("user"))


def test_a_reviewer_is_reminded_and_the_officers_told_when_a_review_is_late(call_world, eager):
    first, second = in_review(call_world), in_review(call_world)
    late_reviewer, punctual = call_world["reviewers"][:2]
    with time_machine.travel(datetime(2030, 4, 1, 10, tzinfo=OSLO), tick=False):
        late = reviewer_assign(application_id=first.pk, reviewer=late_reviewer, by_user=call_world["officers"][0],
                               due_date=DUE)  # fmt: skip
        done = reviewer_assign(application_id=second.pk, reviewer=punctual, by_user=call_world["officers"][0],
                               due_date=DUE)  # fmt: skip
        conflict_declare(assignment_id=done.pk, by_user=punctual, conflict=False)
        review_save(assignment_id=done.pk, by_user=punctual, submit=True, recommendation="stott",
                    scores={c.pk: (5, "") for c in call_world["criteria"]})  # fmt: skip
    ScheduledEffect.objects.filter(kind="application-receipt").delete()  # the submissions' receipts: not counted here
    mail.outbox.clear()

    sweep_at(datetime(2030, 4, 16, 8, 59, tzinfo=OSLO), eager)  # not yet
    assert notices(Notice.Kind.REVIEW_REMINDER) == []
    sweep_at(datetime(2030, 4, 16, 9, 0, tzinfo=OSLO), eager)
    sweep_at(datetime(2030, 4, 16, 9, 5, tzinfo=OSLO), eager)  # a later tick: nothing twice
    assert notices(Notice.Kind.REVIEW_REMINDER) == [(late_reviewer.email, str(late.pk))]  # not the one delivered
    assert [m.to for m in mail.outbox] == [[late_reviewer.email]]
    assert "23.04.2030" in mail.outbox[0].body

    mail.outbox.clear()
    sweep_at(datetime(2030, 4, 23, 23, 59, tzinfo=OSLO), eager)  # the due date itself: not late yet
    sweep_at(datetime(2030, 4, 24, 8, 0, tzinfo=OSLO), eager)
    sweep_at(datetime(2030, 4, 24, 9, 0, tzinfo=OSLO), eager)
    officers = sorted(o.email for o in call_world["officers"])
    assert sorted(email for email, _key in notices(Notice.Kind.REVIEW_OVERDUE)) == officers
    assert sorted(m.to[0] for m in mail.outbox) == officers


def test_the_ansvarlig_is_reminded_before_the_offer_lapses_unless_it_was_answered(call_world, eager):
    first, second = call_world["officers"]
    answered, silent = assessed(call_world), assessed(call_world)
    for application in (answered, silent):
        decision = decision_prepare(application_id=application.pk, by_user=first, outcome=Outcome.APPROVE,
                                    granted_amount=Decimal(100_000))  # fmt: skip
        decision_confirm(decision_id=decision.pk, by_user=second)
    offer_answer(application_id=answered.pk, by_user=answered.ansvarlig, accept=True)
    ScheduledEffect.objects.filter(kind__in=["application-receipt", "decision-letter"]).delete()  # not counted here
    deadline = silent.offer.deadline
    mail.outbox.clear()
    for moment in (deadline - timedelta(days=7), deadline - timedelta(days=7, minutes=-3),
                   deadline - timedelta(days=1), deadline + timedelta(minutes=1)):  # fmt: skip
        sweep_at(moment, eager)
    assert sorted(key for _email, key in notices(Notice.Kind.OFFER_REMINDER)) == [str(silent.offer.pk)] * 2
    assert all(m.to == [silent.ansvarlig.email] for m in mail.outbox if "tilbud" in m.subject.lower())
    silent.refresh_from_db()
    assert silent.state == "tilbud-bortfalt"
