"""The review figures the officers' queue filters on, stored on the application
(``Application.weighted_score``, ``Application.review_due_first``) and kept by the services that
change their sources, in the same transaction: assigning a reviewer, a declaration, saving or
delivering a review, a consensus score (``review.services``). The queue then filters on an
indexed column instead of grouping every score (or scanning every assignment) on each request.

- ``weighted_score``: the score ``review.selectors.panel_ranking`` computes — per criterion the
  consensus score where set, else the mean of the submitted reviews' scores; weighted by the
  criteria's weights; none until every criterion has a value.
- ``review_due_first``: the earliest due date of an open assignment (awaiting the declaration, or
  active); the application has an overdue review when that day has passed.

The SQL runs on PostgreSQL and SQLite alike: ``1.0 * score`` makes a whole-number score a decimal on
both. It is correlated on the outer ``applications_application`` row, so the same text serves one
application (a service) and all of them (the data migration, the benchmark's set-up).
"""

from django.db import connection

from applications.models import Application
from schemes.models import AssessmentCriterion

from .models import AssignmentState, ConsensusScore, Review, ReviewAssignment, Score

OPEN_ASSIGNMENT_STATES = (AssignmentState.AWAITING_DECLARATION, AssignmentState.ACTIVE)


def _table(model) -> str:
    return model._meta.db_table


APP = _table(Application)

# Only table names from the models' meta are interpolated: no input reaches this text.
WEIGHTED_SCORE_SQL = f"""
SELECT CASE WHEN count(*) > 0 AND count(v.value) = count(*) AND sum(v.weight) > 0
            THEN sum(v.value * v.weight) / sum(v.weight) END
FROM (
  SELECT c.weight,
         COALESCE(
           (SELECT 1.0 * cs.score FROM {_table(ConsensusScore)} cs
             WHERE cs.application_id = {APP}.id AND cs.criterion_id = c.id),
           (SELECT avg(s.score) FROM {_table(Score)} s
              JOIN {_table(Review)} r ON r.id = s.review_id
              JOIN {_table(ReviewAssignment)} a ON a.id = r.assignment_id
             WHERE a.application_id = {APP}.id AND s.criterion_id = c.id
               AND r.submitted_at IS NOT NULL AND s.score IS NOT NULL)
         ) AS value
  FROM {_table(AssessmentCriterion)} c
  WHERE c.call_id = {APP}.call_id
) v
"""  # noqa: S608

_OPEN = ", ".join(f"'{state.value}'" for state in OPEN_ASSIGNMENT_STATES)
REVIEW_DUE_FIRST_SQL = f"""
SELECT min(a.due_date) FROM {_table(ReviewAssignment)} a WHERE a.application_id = {APP}.id AND a.state IN ({_OPEN})
"""  # noqa: S608

# Rounded as the column stores it (6 decimals), so a filter compares what the page shows.
REFRESH_SQL = f"""
UPDATE {APP} SET weighted_score = ROUND(({WEIGHTED_SCORE_SQL}), 6), review_due_first = ({REVIEW_DUE_FIRST_SQL})
"""  # noqa: S608


# The applications that have figures at all: an assignment or a consensus score.
WITH_FIGURES_SQL = (
    f"SELECT application_id FROM {_table(ReviewAssignment)} UNION SELECT application_id FROM {_table(ConsensusScore)}"  # noqa: S608
)


def application_figures_refresh(*, application_ids, locked: bool = False) -> None:
    """Recompute the stored figures of these applications. Call inside the transaction that changed
    a score, an assignment or a consensus score. The rows are locked first: a second reviewer
    delivering at the same moment waits here for the first to commit, and the UPDATE (a new statement,
    so a new snapshot under READ COMMITTED) then sees both reviews, never a mean missing one.
    ``locked``: the caller already holds the applications' row locks (``lock_application``)."""
    ids = sorted({int(pk) for pk in application_ids})
    if not ids:
        return
    if not locked:
        list(Application.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"{REFRESH_SQL} WHERE id IN ({marks})", ids)


def application_figures_refresh_all() -> None:
    """Every application with an assignment or a consensus score at once (one statement); the others
    keep none. For a bulk load that bypassed the services (the benchmark's set-up)."""
    with connection.cursor() as cursor:
        cursor.execute(f"{REFRESH_SQL} WHERE id IN ({WITH_FIGURES_SQL})")


def call_figures_refresh(*, call_id: int) -> int:
    """After a call's criteria changed (a weight, a criterion added or removed, in the admin or by
    the seed): the weighted scores of its applications with a review or consensus score, in one
    statement, inside the transaction that changed them. Returns how many rows it recomputed."""
    with connection.cursor() as cursor:
        cursor.execute(f"{REFRESH_SQL} WHERE call_id = %s AND id IN ({WITH_FIGURES_SQL})", [call_id])
        return cursor.rowcount
