"""Bulk actions from the work queue. Each row goes through the same service as one at a time
(``review.services`` or ``applications.services.application_transition``), in its own
transaction, so a row that cannot be moved does not undo the others. Reads are one query for
all rows; writes are per row (lock, check, timeline row) — linear in the rows, by design."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.errors import ApplicationError
from applications.models import Application
from applications.services.transitions import application_transition
from applications.workflow import ASSESSMENT_DONE, FORMAL_APPROVE, START_FORMAL_CHECK, Actor, State, allowed
from review.models import ReviewAssignment
from review.services import formal_check_record, reviewers_assign_bulk

# The state moves an officer may make for many applications at once: none needs a comment, a
# second officer or a page of its own.
BULK_TRANSITIONS = (START_FORMAL_CHECK, FORMAL_APPROVE, ASSESSMENT_DONE)


@dataclass
class BulkResult:
    done: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)  # (row, why)
    assignments: int = 0  # reviewer assignments made (assigning only)


def _rows(application_ids) -> list[Application]:
    ids = sorted({int(pk) for pk in application_ids})
    return list(Application.objects.filter(pk__in=ids).only("pk", "reference", "state", "call_id").order_by("pk"))


def _state_reason(application: Application) -> str:
    return _("status «%(state)s»") % {"state": State(application.state).label}


def applications_transition_bulk(*, application_ids, name: str, by_user) -> BulkResult:
    """Fire ``name`` for each application the table allows it for; say why for the others."""
    if name not in BULK_TRANSITIONS:
        raise ValueError(name)
    result = BulkResult()
    for application in _rows(application_ids):
        if not allowed(name, state=application.state, actor=Actor.OFFICER):
            result.refused.append((application, _state_reason(application)))
            continue
        try:
            if name == FORMAL_APPROVE:  # records the formal check with its findings, then moves
                formal_check_record(application_id=application.pk, by_user=by_user, approved=True)
            else:
                application_transition(application_id=application.pk, name=name, by_user=by_user)
        except ApplicationError as error:
            result.refused.append((application, error.message))
        else:
            result.done.append(application)
    return result


def reviewers_assign_for_queue(*, application_ids, by_user, due_date: date) -> BulkResult:
    """Reviewers for each application in review, from the suggestions (``reviewers_assign_bulk``);
    the others are named with why: not in review, or no more reviewers wanted or free."""
    result = BulkResult()
    rows = _rows(application_ids)
    in_review = [a for a in rows if a.state == State.IN_REVIEW]
    result.refused = [(a, _state_reason(a)) for a in rows if a.state != State.IN_REVIEW]
    started, failure = timezone.now(), None
    try:
        reviewers_assign_bulk(application_ids=[a.pk for a in in_review], by_user=by_user, due_date=due_date)
    except ApplicationError as error:
        # One application per transaction: those served before the refusal keep their reviewers.
        failure = error.message
    made = ReviewAssignment.objects.filter(
        application_id__in=[a.pk for a in in_review], assigned_by=by_user, assigned_at__gte=started
    ).values_list("application_id", flat=True)
    made = list(made)
    result.assignments = len(made)
    for application in in_review:
        if application.pk in made:
            result.done.append(application)
        else:
            result.refused.append(
                (application, failure or _("har nok fageksperter, eller ingen ledige uten interessekonflikt"))
            )
    return result
