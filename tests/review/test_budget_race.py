"""Two officers confirming approvals at the same moment cannot together pass the call's budget: the
check runs under a lock on the call row, on PostgreSQL, in separate connections."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from applications.errors import ApplicationError
from applications.models import Application
from applications.workflow import State
from review.models import Decision, Outcome
from review.services import decision_confirm, decision_prepare
from tests.review.test_review_services import assessed

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_approvals_never_pass_the_budget(call_world):
    first, second = call_world["officers"]
    applications = [assessed(call_world) for _ in range(4)]
    decisions = [
        decision_prepare(application_id=a.pk, by_user=first, outcome=Outcome.APPROVE, granted_amount=Decimal(400_000))
        for a in applications
    ]
    barrier = threading.Barrier(len(decisions))
    outcomes: dict[int, str] = {}

    def confirm(decision_id):
        try:
            barrier.wait()
            decision_confirm(decision_id=decision_id, by_user=second)
            outcomes[decision_id] = "confirmed"
        except ApplicationError as refused:
            outcomes[decision_id] = refused.code
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(d.pk,)) for d in decisions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == ["budget", "budget", "confirmed", "confirmed"]  # 2 × 400 000 ≤ 1 000 000
    confirmed = Decision.objects.filter(confirmed_at__isnull=False)
    assert sum(d.granted_amount for d in confirmed) == 800_000
    assert Application.objects.filter(state=State.OFFER_SENT).count() == 2
