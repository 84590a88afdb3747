"""Work queue speed: 100 000 applications (`make bench` prints the figures).

The officer's queue (/saksbehandling/), rendered through the test client, is compared with
fetching the same page of rows with one hand-written SQL query: the same scope and filters, the
same per-row figures (reviews done/assigned, weighted score with consensus first, overdue), the
same keyset condition, LIMIT 50. The page may take at most 3× as long: what it adds is the
session and roles, the filter form's choices and the template. Medians of several runs; the
page's query count is asserted constant.

The data is written with INSERT … SELECT generate_series (seconds, not minutes): 100 000
applications over six calls in two schemes (5 % drafts, not listed), two reviewers on every
application in review or assessed, submitted reviews with three scores for most of them, some
consensus scores and some assignments past their due date. Many rows share a submission moment,
so the keyset's tie-break on pk is exercised.
"""

import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffRole
from applications.workflow import STAFF_VISIBLE_STATES, State
from casework.queue import PAGE_SIZE, WEIGHTED_SCORE_SQL
from tests.factories import (
    AgencyFactory,
    AssessmentCriterionFactory,
    CallFactory,
    OrganisationFactory,
    SchemeFactory,
    StaffRoleFactory,
)
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db

APPLICATIONS, RUNS, MAX_RATIO = 100_000, 15, 3.0
PAGE_QUERIES = 12  # as pinned in tests/casework/test_queue.py
STATES = [State.SUBMITTED, State.FORMAL_CHECK, State.IN_REVIEW, State.IN_REVIEW, State.IN_REVIEW,
          State.ASSESSED, State.APPROVED, State.REJECTED, State.FORMALLY_REJECTED, State.WAITLISTED]  # fmt: skip

# The same page by hand. "applications_application" is spelt out: the score subquery refers to it.
RAW_PAGE = f"""
SELECT applications_application.id, applications_application.reference, applications_application.title,
       applications_application.state, applications_application.submitted_at,
       c.title, c.slug, o.name,
       (SELECT count(*) FROM review_reviewassignment r
         WHERE r.application_id = applications_application.id AND r.state = 'levert') AS done,
       (SELECT count(*) FROM review_reviewassignment r
         WHERE r.application_id = applications_application.id AND r.state IN ('venter', 'aktiv', 'levert')) AS assigned,
       ({WEIGHTED_SCORE_SQL}) AS score,
       EXISTS (SELECT 1 FROM review_reviewassignment r
                WHERE r.application_id = applications_application.id AND r.state IN ('venter', 'aktiv')
                  AND r.due_date < %(today)s) AS overdue
FROM applications_application
JOIN schemes_call c ON c.id = applications_application.call_id
JOIN organisations_organisation o ON o.id = applications_application.organisation_id
WHERE applications_application.state = ANY(%(states)s)
  AND applications_application.submitted_at IS NOT NULL
  AND c.scheme_id = ANY(%(schemes)s)
  AND (applications_application.submitted_at, applications_application.id) < (%(at)s, %(pk)s)
ORDER BY applications_application.submitted_at DESC, applications_application.id DESC
LIMIT %(limit)s
"""  # noqa: S608 - table names and the constant score text only


def _sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def big_queue():
    started = time.perf_counter()
    agency = AgencyFactory()
    scheme_x, scheme_y = SchemeFactory(agencies=[agency]), SchemeFactory(agencies=[agency])
    calls = [CallFactory(scheme=scheme_x) for _ in range(4)] + [CallFactory(scheme=scheme_y) for _ in range(2)]
    for call in calls:
        for order, weight in ((1, 50), (2, 30), (3, 20)):
            AssessmentCriterionFactory(call=call, order=order, weight=weight)
    organisations = OrganisationFactory.create_batch(50)
    officer = StaffRoleFactory(agency=agency, schemes=[scheme_x, scheme_y]).user
    reviewers = [StaffRoleFactory(agency=agency, role=StaffRole.Role.REVIEWER).user for _ in range(12)]
    now = timezone.now()
    # Applications: every 20th a draft (never submitted); three share each submission moment.
    _sql(
        """
        INSERT INTO applications_application (call_id, organisation_id, title, state, form, answers,
            pending_input, sections, justifications, reference, created_at, updated_at, submitted_at,
            withdrawal_reason)
        SELECT (%(calls)s::int[])[1 + i %% 6], (%(orgs)s::int[])[1 + i %% 50], 'Søknad nummer ' || i,
               CASE WHEN i %% 20 = 0 THEN 'utkast' ELSE (%(states)s::text[])[1 + (i / 7) %% 10] END,
               '{}', '{}', '{}', '{}', '{}', 'B-' || lpad(i::text, 6, '0'), %(now)s, %(now)s,
               CASE WHEN i %% 20 = 0 THEN NULL ELSE %(now)s - make_interval(mins => i / 3) END, ''
        FROM generate_series(1, %(n)s) AS i
        """,
        {"calls": [c.pk for c in calls], "orgs": [o.pk for o in organisations], "n": APPLICATIONS,
         "states": [s.value for s in STATES], "now": now},
    )  # fmt: skip
    # Two reviewers on each application in review or assessed; most have delivered, some are late.
    _sql(
        """
        INSERT INTO review_reviewassignment (application_id, reviewer_id, state, due_date, assigned_by_id,
            assigned_at, conflict_note)
        SELECT a.id, (%(reviewers)s::int[])[1 + (a.id + k) %% 12],
               CASE WHEN (a.id + k) %% 5 = 0 THEN 'aktiv' ELSE 'levert' END,
               CASE WHEN a.id %% 11 = 0 THEN %(today)s - 3 ELSE %(today)s + 10 END, %(officer)s, %(now)s, ''
        FROM applications_application a, generate_series(0, 1) AS k
        WHERE a.state IN ('fagvurdering', 'vurdert')
        """,
        {"reviewers": [r.pk for r in reviewers], "today": timezone.localdate(), "officer": officer.pk, "now": now},
    )
    _sql(
        """
        INSERT INTO review_review (assignment_id, recommendation, comment, updated_at, submitted_at)
        SELECT id, 'stott', '', %(now)s, %(now)s FROM review_reviewassignment WHERE state = 'levert'
        """,
        {"now": now},
    )
    _sql(
        """
        INSERT INTO review_score (review_id, criterion_id, score, comment)
        SELECT r.id, c.id, 1 + (r.id + c.id) %% 7, ''
        FROM review_review r
        JOIN review_reviewassignment ra ON ra.id = r.assignment_id
        JOIN applications_application a ON a.id = ra.application_id
        JOIN schemes_assessmentcriterion c ON c.call_id = a.call_id
        """,
        {},
    )
    _sql(
        """
        INSERT INTO review_consensusscore (application_id, criterion_id, score, comment, set_by_id, set_at)
        SELECT a.id, c.id, 1 + a.id %% 7, '', %(officer)s, %(now)s
        FROM applications_application a JOIN schemes_assessmentcriterion c ON c.call_id = a.call_id AND c."order" = 1
        WHERE a.state = 'vurdert' AND a.id %% 3 = 0
        """,
        {"officer": officer.pk, "now": now},
    )
    _sql("ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM applications_application), (SELECT count(*) FROM review_reviewassignment),"
            " (SELECT count(*) FROM review_score)"
        )
        counts = cursor.fetchone()
    assert counts[0] == APPLICATIONS
    return {"officer": officer, "schemes": [scheme_x.pk, scheme_y.pk], "counts": counts,
            "setup_s": time.perf_counter() - started}  # fmt: skip


def median_ms(run) -> float:
    run()  # warm up: templates, connection, plans
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


SCENARIOS = [("second page, no filters", {}), ("second page, in review", {"status": State.IN_REVIEW.value})]


def test_queue_page_within_three_times_one_raw_query(big_queue, django_assert_max_num_queries):
    client, url = Client(), reverse("staff-home")
    force_login_verified(client, big_queue["officer"])
    applications, assignments, scores = big_queue["counts"]
    print(
        f"\nwork queue: {applications:,} applications, {assignments:,} assignments, {scores:,} scores "
        f"(set up in {big_queue['setup_s']:.0f} s)"
    )
    ratios = [_scenario(client, url, big_queue, label, filters, django_assert_max_num_queries)
              for label, filters in SCENARIOS]  # fmt: skip

    def with_score_range():
        response = client.get(url, {"karakter_fra": "5", "status": State.IN_REVIEW.value})
        assert response.status_code == 200 and response.context["page"].rows
        return response

    print(
        f"  with a score range (5 and up, in review; one GROUP BY over every score in the database): "
        f"{median_ms(with_score_range):.1f} ms (median of {RUNS})"
    )
    assert max(ratios) <= MAX_RATIO


def _scenario(client, url, big_queue, label, filters, django_assert_max_num_queries) -> float:
    first = client.get(url, filters)
    cursor = first.context["page"].next_cursor
    query = {**filters, "etter": str(cursor)}
    states = [filters["status"]] if filters else sorted(s.value for s in STAFF_VISIBLE_STATES)
    params = {"states": states, "schemes": big_queue["schemes"], "today": timezone.localdate(),
              "at": cursor.submitted_at, "pk": cursor.pk, "limit": PAGE_SIZE}  # fmt: skip

    def raw():
        with connection.cursor() as db:
            db.execute(RAW_PAGE, params)
            return db.fetchall()

    def view():
        response = client.get(url, query)
        assert response.status_code == 200
        return response

    rows = raw()
    shown = view().context["page"].rows
    assert len(rows) == PAGE_SIZE
    assert [a.pk for a in shown] == [row[0] for row in rows], "the raw query must fetch the same page of rows"
    assert [a.score for a in shown] == [row[10] for row in rows]
    with django_assert_max_num_queries(PAGE_QUERIES):
        view()
    raw_ms, view_ms = median_ms(raw), median_ms(view)
    ratio = view_ms / raw_ms
    print(
        f"  {label} {query}:\n"
        f"    one raw SQL query for the page of rows: {raw_ms:.1f} ms (median of {RUNS})\n"
        f"    the queue view (≤ {PAGE_QUERIES} queries, rendered): {view_ms:.1f} ms (median of {RUNS})\n"
        f"    ratio: {ratio:.2f} (at most {MAX_RATIO})"
    )
    return ratio
