"""The planner tells the truth: scheduler rows that can no longer do anything are cancelled in the
transaction of the event that makes them moot; and the queue's stored figures (weighted score,
first open due date) follow the services that change their sources. The clock is controlled
(tests/clock.py); dates come from it."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from applications.errors import ApplicationError
from applications.models import Application
from applications.services.submission import application_withdraw
from applications.workflow import State
from review.models import Offer
from review.selectors import panel_ranking
from review.services import conflict_declare, consensus_set, offer_answer, offer_lapse, reviewer_assign
from scheduling.models import EffectState, ScheduledEffect
from tests.review.test_review_services import approve, assessed, due, in_review, review

pytestmark = pytest.mark.django_db


def states(**filters) -> dict[str, str]:
    return dict(ScheduledEffect.objects.filter(**filters).values_list("key", "state"))


def assign(call_world, application, reviewer):
    return reviewer_assign(application_id=application.pk, reviewer=reviewer, by_user=call_world["officers"][0],
                           due_date=due())  # fmt: skip


def test_a_declared_conflict_cancels_the_assignments_reminder_and_overdue_notice(call_world):
    application = in_review(call_world)
    conflicted, other = call_world["reviewers"][:2]
    moot, kept = assign(call_world, application, conflicted), assign(call_world, application, other)
    assert set(states(target_type="assignment", target_id=moot.pk).values()) == {EffectState.PENDING}
    conflict_declare(assignment_id=moot.pk, by_user=conflicted, conflict=True, note="Tidligere arbeidsgiver")
    cancelled = ScheduledEffect.objects.filter(target_type="assignment", target_id=moot.pk)
    assert {(e.kind, e.state, e.cancel_reason) for e in cancelled} == {
        ("review-reminder", EffectState.CANCELLED, "conflict"),
        ("review-overdue", EffectState.CANCELLED, "conflict"),
    }
    assert all(e.cancelled_at is not None for e in cancelled)
    # The other reviewer's rows still wait; declaring no conflict cancels nothing.
    conflict_declare(assignment_id=kept.pk, by_user=other, conflict=False)
    assert set(states(target_type="assignment", target_id=kept.pk).values()) == {EffectState.PENDING}


def test_a_failed_declaration_cancels_nothing(call_world):
    application = in_review(call_world)
    reviewer = call_world["reviewers"][0]
    assignment = assign(call_world, application, reviewer)
    with pytest.raises(ApplicationError):  # a conflict needs a note
        conflict_declare(assignment_id=assignment.pk, by_user=reviewer, conflict=True, note=" ")
    assert set(states(target_type="assignment", target_id=assignment.pk).values()) == {EffectState.PENDING}


def test_a_delivered_review_cancels_its_rows_and_a_rollback_restores_them(call_world):
    application = in_review(call_world)
    reviewer = call_world["reviewers"][0]
    with pytest.raises(RuntimeError), transaction.atomic():
        review(call_world, application, reviewer, [5, 6])
        raise RuntimeError("the delivering transaction fails")
    assert not ScheduledEffect.objects.filter(target_type="assignment").exists()  # all of it rolled back
    delivered = review(call_world, application, reviewer, [5, 6]).assignment
    assert set(states(target_type="assignment", target_id=delivered.pk).values()) == {EffectState.CANCELLED}
    assert ScheduledEffect.objects.filter(target_id=delivered.pk, cancel_reason="delivered").count() == 2


def test_an_answered_offer_cancels_its_reminders_and_its_lapse(call_world):
    sent = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(sent, tick=False):
        accepted, declined, lapsing = assessed(call_world), assessed(call_world), assessed(call_world)
        for application in (accepted, declined, lapsing):
            approve(call_world, application, 100_000)

    def offer_rows(application):
        offer = Offer.objects.get(application=application)
        return states(target_type="offer", target_id=offer.pk) | states(kind="offer-lapse", target_id=application.pk)

    assert set(offer_rows(accepted).values()) == {EffectState.PENDING} and len(offer_rows(accepted)) == 3
    with time_machine.travel(sent + timedelta(days=2), tick=False):
        offer_answer(application_id=accepted.pk, by_user=accepted.ansvarlig, accept=True)
        offer_answer(application_id=declined.pk, by_user=declined.ansvarlig, accept=False, comment="Nei takk")
    assert set(offer_rows(accepted).values()) == {EffectState.CANCELLED}
    assert set(offer_rows(declined).values()) == {EffectState.CANCELLED}
    assert set(offer_rows(lapsing).values()) == {EffectState.PENDING}
    # The reminders ran (done) before the lapse; the lapse itself is the scheduler's own row.
    ScheduledEffect.objects.filter(target_type="offer").filter(
        target_id=Offer.objects.get(application=lapsing).pk
    ).update(state=EffectState.DONE)
    assert offer_lapse(application_id=lapsing.pk, now=Offer.objects.get(application=lapsing).deadline + timedelta(1))
    assert set(offer_rows(lapsing).values()) == {EffectState.DONE, EffectState.CANCELLED}


def test_a_decision_or_a_withdrawal_cancels_the_open_assignments_rows(call_world):
    withdrawn = in_review(call_world)
    assignment = assign(call_world, withdrawn, call_world["reviewers"][0])
    application_withdraw(application_id=withdrawn.pk, by_user=withdrawn.ansvarlig, reason="Prosjektet er avlyst")
    assert set(states(target_type="assignment", target_id=assignment.pk).values()) == {EffectState.CANCELLED}
    assert ScheduledEffect.objects.filter(target_id=assignment.pk, cancel_reason="withdrawn").count() == 2

    decided = assessed(call_world)
    Application.objects.filter(pk=decided.pk).update(state=State.IN_REVIEW)
    open_one = assign(call_world, decided, call_world["reviewers"][1])
    Application.objects.filter(pk=decided.pk).update(state=State.ASSESSED)
    approve(call_world, decided, 100_000)
    assert set(states(target_type="assignment", target_id=open_one.pk).values()) == {EffectState.CANCELLED}


def test_a_cancelled_row_is_never_claimed_and_a_rerun_cancels_nothing_more(call_world):
    from review.deadlines import assignment_deadlines_cancel
    from scheduling.engine import effects_sweep

    application = in_review(call_world)
    reviewer = call_world["reviewers"][0]
    assignment = assign(call_world, application, reviewer)
    conflict_declare(assignment_id=assignment.pk, by_user=reviewer, conflict=True, note="Nabo")
    assert assignment_deadlines_cancel(assignment_ids=[assignment.pk], reason="conflict") == 0
    with time_machine.travel(timezone.now() + timedelta(days=120), tick=False):
        effects_sweep()
    assert set(states(target_type="assignment", target_id=assignment.pk).values()) == {EffectState.CANCELLED}


# --- The stored figures ---------------------------------------------------------------------------------
def stored(application) -> tuple:
    return Application.objects.values_list("weighted_score", "review_due_first").get(pk=application.pk)


def test_the_stored_score_follows_the_reviews_and_the_consensus_and_agrees_with_the_panel(call_world):
    application = in_review(call_world)
    reviewer_x, reviewer_y, reviewer_z = call_world["reviewers"]
    assert stored(application) == (None, None)
    open_one = assign(call_world, application, reviewer_z)
    assert stored(application) == (None, due())
    review(call_world, application, reviewer_x, [6, 6])
    assert stored(application)[0] == Decimal("6.000000")
    review(call_world, application, reviewer_y, [4, 2])  # (5·60 + 4·40)/100
    assert stored(application)[0] == Decimal("4.600000")
    consensus_set(application_id=application.pk, criterion_id=call_world["criteria"][0].pk, score=7,
                  by_user=call_world["officers"][0])  # fmt: skip
    assert stored(application)[0] == Decimal("5.800000")  # (7·60 + 4·40)/100
    rows, _summary = panel_ranking(call=call_world["call"])
    assert [r.weighted for r in rows if r.application.pk == application.pk] == [stored(application)[0]]
    # The open assignment sets the first due date until it ends.
    conflict_declare(assignment_id=open_one.pk, by_user=reviewer_z, conflict=True, note="Inhabil")
    assert stored(application) == (Decimal("5.800000"), None)


def test_a_draft_review_does_not_count_in_the_stored_score(call_world):
    application = in_review(call_world)
    review(call_world, application, call_world["reviewers"][0], [6, 6], submit=False)
    assert stored(application)[0] is None
