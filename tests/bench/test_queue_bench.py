"""Work queue speed at 1 000 000 applications (`make bench BENCH=tests/bench/test_queue_bench.py`).

Every view of the officer's queue (/saksbehandling/) — page 1, page 2, a deep page, each filter
(status, call, reviewer, missing reviews, overdue, the score range) — is compared with its own raw
list SELECT in the same run: the same scope and filters, the same per-row figures (reviews
done/assigned, the stored weighted score, overdue from the stored first due date), the same keyset
condition, LIMIT 51. Per view: the SQL the view sends (its statements as Django wrote them — the
page; the filter form's choices come from the cache, casework/choices.py — run on the same
connection), which the BENCH line
compares with the raw SELECT (target: within 2×); then, printed beside it, the same through the
ORM (the selector, evaluated) and the whole rendered page through the test client (session,
roles, filter form, template), which carry Django's fixed cost per request and are not within 2×
of a 2–15 ms SELECT. Medians of several runs (the raw SELECT and the view's statements timed in
turn, so a burst of load on a shared machine falls on both); the page's query count is asserted
constant, and each view must fetch the rows its raw SELECT fetches.

The data is written with INSERT … SELECT generate_series: BENCH_QUEUE_ROWS applications (default
1 000 000) over six calls in two schemes (5 % drafts, not listed), two reviewers on every
application in review or assessed, submitted reviews with three scores for most of them, some
consensus scores and some assignments past their due date; the stored figures are then filled by
one set-based UPDATE (``review.figures.application_figures_refresh_all``, as the data migration
does). Many rows share a submission moment, so the keyset's tie-break on pk is exercised.
"""

import os
import statistics
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffRole
from applications.workflow import STAFF_VISIBLE_STATES, State
from casework.queue import PAGE_SIZE, Cursor
from casework.selectors import application_queue
from review.figures import application_figures_refresh_all
from review.selectors import PANEL_STATES
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

APPLICATIONS = int(os.environ.get("BENCH_QUEUE_ROWS", 1_000_000))
RUNS, MAX_RATIO = int(os.environ.get("BENCH_QUEUE_RUNS", 9)), 2.0
PAGE_QUERIES = 7  # as pinned in tests/casework/test_queue.py
STATES = [State.SUBMITTED, State.FORMAL_CHECK, State.IN_REVIEW, State.IN_REVIEW, State.IN_REVIEW,
          State.ASSESSED, State.APPROVED, State.REJECTED, State.FORMALLY_REJECTED, State.WAITLISTED]  # fmt: skip

# The same page by hand: the stored score, overdue from the stored first due date, the counts for
# the returned rows. {where} holds the view's filters, {keyset} the cursor's condition.
RAW_PAGE = """
SELECT applications_application.id, applications_application.reference, applications_application.title,
       applications_application.state, applications_application.submitted_at,
       c.title, c.slug,
       (SELECT o.name FROM organisations_organisation o WHERE o.id = applications_application.organisation_id),
       (SELECT count(*) FROM review_reviewassignment r
         WHERE r.application_id = applications_application.id AND r.state = 'levert') AS done,
       (SELECT count(*) FROM review_reviewassignment r
         WHERE r.application_id = applications_application.id AND r.state IN ('venter', 'aktiv', 'levert')) AS assigned,
       applications_application.weighted_score AS score,
       COALESCE(applications_application.review_due_first < %(today)s, false) AS overdue
FROM applications_application
JOIN schemes_call c ON c.id = applications_application.call_id
WHERE applications_application.state = ANY(%(states)s)
  AND applications_application.submitted_at IS NOT NULL
  AND c.scheme_id = ANY(%(schemes)s)
  {where} {keyset}
ORDER BY applications_application.submitted_at DESC, applications_application.id DESC
LIMIT %(limit)s
"""
KEYSET = "AND (applications_application.submitted_at, applications_application.id) < (%(at)s, %(pk)s)"
WANTED = "COALESCE((SELECT s.reviewers_per_application FROM review_reviewsettings s WHERE s.call_id = c.id), 2)"
FILTERS = {  # query parameter → its condition in the raw SELECT
    "status": "AND applications_application.state = %(status)s",
    "utlysning": "AND c.slug = %(utlysning)s",
    "fagekspert": """AND applications_application.id IN (SELECT a.application_id FROM review_reviewassignment a
                      WHERE a.reviewer_id = %(fagekspert)s AND a.state IN ('venter', 'aktiv', 'levert'))""",
    "mangler_vurdering": f"""AND applications_application.state = ANY(%(panel)s)
        AND (SELECT count(*) FROM review_reviewassignment r WHERE r.application_id = applications_application.id
             AND r.state = 'levert') < {WANTED}""",  # noqa: S608 - constant text
    "forsinket": "AND applications_application.review_due_first < %(today)s",
    "karakter_fra": "AND applications_application.weighted_score >= %(karakter_fra)s",
}


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
            pending_input, sections, justifications, publicity, reference, created_at, updated_at, submitted_at,
            withdrawal_reason)
        SELECT (%(calls)s::int[])[1 + i %% 6], (%(orgs)s::int[])[1 + i %% 50], 'Søknad nummer ' || i,
               CASE WHEN i %% 20 = 0 THEN 'utkast' ELSE (%(states)s::text[])[1 + (i / 7) %% 10] END,
               '{}', '{}', '{}', '{}', '{}', '{}', 'B-' || lpad(i::text, 7, '0'), %(now)s, %(now)s,
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
    _sql("ANALYZE")  # before the UPDATE: its correlated subqueries need the indexes chosen
    built = time.perf_counter()
    application_figures_refresh_all()  # the stored figures, set-based (as the data migration)
    refreshed = time.perf_counter() - built
    _sql("ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM applications_application), (SELECT count(*) FROM review_reviewassignment),"
            " (SELECT count(*) FROM review_score)"
        )
        counts = cursor.fetchone()
    assert counts[0] == APPLICATIONS
    return {"officer": officer, "schemes": [scheme_x.pk, scheme_y.pk], "counts": counts, "call": calls[0].slug,
            "reviewer": reviewers[0].pk, "setup_s": time.perf_counter() - started,
            "refresh_s": refreshed}  # fmt: skip


def median_ms(run) -> float:
    run()  # warm up: templates, connection, plans
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def paired_medians_ms(first, second) -> tuple[float, float]:
    """Both medians, the two timed in turn (first, second, first, …): on a shared machine a burst of
    load then falls on both sides of the ratio, not on whichever series happened to run during it."""
    first(), second()  # warm up
    timings = ([], [])
    for _ in range(RUNS):
        for run, samples in zip((first, second), timings, strict=True):
            start = time.perf_counter()
            run()
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings[0]), statistics.median(timings[1])


# Before: the score range grouped every score on each request (casework/queue.py until this change).
OLD_SCORE_RANGE = """
SELECT app.id FROM applications_application app
JOIN schemes_assessmentcriterion c ON c.call_id = app.call_id
LEFT JOIN review_consensusscore cs ON cs.application_id = app.id AND cs.criterion_id = c.id
LEFT JOIN (
  SELECT a.application_id, s.criterion_id, avg(s.score) AS mean FROM review_score s
  JOIN review_review r ON r.id = s.review_id JOIN review_reviewassignment a ON a.id = r.assignment_id
  WHERE r.submitted_at IS NOT NULL AND s.score IS NOT NULL GROUP BY a.application_id, s.criterion_id
) m ON m.application_id = app.id AND m.criterion_id = c.id
WHERE app.id IN (SELECT a.application_id FROM review_reviewassignment a JOIN review_review r ON r.assignment_id = a.id
  WHERE r.submitted_at IS NOT NULL UNION SELECT application_id FROM review_consensusscore)
GROUP BY app.id
HAVING count(COALESCE(cs.score, m.mean)) = count(*) AND sum(c.weight) > 0
   AND sum(COALESCE(1.0 * cs.score, m.mean) * c.weight) / sum(c.weight) >= 5
"""
OLD_OVERDUE = """
SELECT count(*) FROM applications_application a WHERE EXISTS (SELECT 1 FROM review_reviewassignment r
  WHERE r.application_id = a.id AND r.state IN ('venter', 'aktiv') AND r.due_date < %(today)s)
"""


def _before():
    """The two queries that grew with the data, as they were: timed once each (median of 3)."""

    def run(sql):
        def go():
            with connection.cursor() as db:
                db.execute(sql, {"today": timezone.localdate()})
                return db.fetchall()

        return go

    old_runs = 3
    timings = {}
    for name, sql in (
        ("score range (GROUP BY every score)", OLD_SCORE_RANGE),
        ("overdue (EXISTS per row)", OLD_OVERDUE),
    ):
        samples = []
        for _ in range(old_runs):
            start = time.perf_counter()
            run(sql)()
            samples.append((time.perf_counter() - start) * 1000)
        timings[name] = statistics.median(samples)
    return timings


def _label() -> str:
    return f"{APPLICATIONS // 1_000_000}m" if APPLICATIONS % 1_000_000 == 0 else f"{APPLICATIONS // 1000}k"


def scenarios(big_queue):
    """(name, query parameters, page): page "first", "second" or "deep" (90 % of the way down)."""
    return [
        ("page-1", {}, "first"),
        ("page-2", {}, "second"),
        ("deep", {}, "deep"),
        ("status", {"status": State.IN_REVIEW.value}, "second"),
        ("call", {"utlysning": big_queue["call"]}, "second"),
        ("reviewer", {"fagekspert": str(big_queue["reviewer"])}, "second"),
        ("missing-reviews", {"mangler_vurdering": "on"}, "second"),
        ("overdue", {"forsinket": "on"}, "first"),
        ("score", {"karakter_fra": "5"}, "first"),
        ("score-in-review", {"karakter_fra": "5", "status": State.IN_REVIEW.value}, "second"),
    ]


def test_every_queue_view_within_twice_its_raw_select(big_queue, django_assert_max_num_queries):
    client, url = Client(), reverse("staff-home")
    force_login_verified(client, big_queue["officer"])
    applications, assignments, scores = big_queue["counts"]
    print(
        f"\nwork queue: {applications:,} applications, {assignments:,} assignments, {scores:,} scores "
        f"(set up in {big_queue['setup_s']:.0f} s, of which the stored figures' UPDATE {big_queue['refresh_s']:.0f} s)"
    )
    results = [_scenario(client, url, big_queue, *scenario, django_assert_max_num_queries)
               for scenario in scenarios(big_queue)]  # fmt: skip
    for name, raw_ms, sql_ms, queries_ms, view_ms, count in results:
        sql_ratio = sql_ms / raw_ms
        print(
            f"BENCH queue-{name}-{_label()} {sql_ratio:.2f} x target <={MAX_RATIO:g} "
            f"{'PASS' if sql_ratio <= MAX_RATIO else 'FAIL'}  (raw SELECT {raw_ms:.1f} ms; the view's "
            f"{count} statements {sql_ms:.1f} ms; with the ORM {queries_ms:.1f} ms = "
            f"{queries_ms / raw_ms:.1f} x; rendered page {view_ms:.1f} ms = {view_ms / raw_ms:.1f} x)"
        )
    for name, ms in _before().items():
        print(f"  before this change, {name}: {ms:.1f} ms per request (median of 3)")
    score = next(r for r in results if r[0] == "score")
    ratio = score[2] / score[1]
    print(
        f"BENCH queue-score-{_label()} {ratio:.2f} x target <={MAX_RATIO:g} {'PASS' if ratio <= MAX_RATIO else 'FAIL'}"
    )
    assert max(r[2] / r[1] for r in results) <= MAX_RATIO


def _deep_cursor(params) -> Cursor:
    sql = RAW_PAGE.format(where="", keyset="").replace("LIMIT %(limit)s", "OFFSET %(offset)s LIMIT 1")
    with connection.cursor() as db:
        db.execute(sql, {**params, "offset": int(APPLICATIONS * 0.9 * 0.95 * 0.9)})  # 90 % of the listed rows
        row = db.fetchone()
    return Cursor(row[4], row[0])


def _scenario(client, url, big_queue, name, filters, page, django_assert_max_num_queries):
    states = sorted(s.value for s in STAFF_VISIBLE_STATES)
    params = {"states": states, "schemes": big_queue["schemes"], "today": timezone.localdate(),
              "limit": PAGE_SIZE + 1, "panel": [s.value for s in PANEL_STATES], **filters}  # fmt: skip
    if "fagekspert" in filters:
        params["fagekspert"] = int(filters["fagekspert"])
    if "karakter_fra" in filters:
        params["karakter_fra"] = Decimal(filters["karakter_fra"])
    where = " ".join(FILTERS[key] for key in filters)
    cursor = None
    if page == "second":
        cursor = client.get(url, filters).context["page"].next_cursor
    elif page == "deep":
        cursor = _deep_cursor(params)
    query = {**filters, **({"etter": str(cursor)} if cursor else {})}
    if cursor:
        params.update(at=cursor.submitted_at, pk=cursor.pk)
    sql = RAW_PAGE.format(where=where, keyset=KEYSET if cursor else "")

    def raw():
        with connection.cursor() as db:
            db.execute(sql, params)
            return db.fetchall()

    def queries():
        from django.http import QueryDict

        data = QueryDict(mutable=True)
        data.update(filters)
        _filterset, result = application_queue(user=big_queue["officer"], data=data,
                                               after=str(cursor) if cursor else None)  # fmt: skip
        return result

    def view():
        response = client.get(url, query)
        assert response.status_code == 200
        return response

    rows = raw()
    shown = view().context["page"].rows
    assert rows, f"{name}: the raw SELECT found nothing; the data set misses what this view filters on"
    assert [a.pk for a in shown] == [row[0] for row in rows[:PAGE_SIZE]], f"{name}: not the raw SELECT's rows"
    assert [a.score for a in shown] == [row[10] for row in rows[:PAGE_SIZE]]
    assert [a.pk for a in queries().rows] == [a.pk for a in shown]
    with django_assert_max_num_queries(PAGE_QUERIES):
        view()
    with CaptureQueriesContext(connection) as captured:
        queries()
    statements = [q["sql"] for q in captured.captured_queries]

    def view_sql():  # the view's own statements, as Django sent them, without the ORM around them
        with connection.cursor() as db:
            for statement in statements:
                db.execute(statement)
                db.fetchall()

    raw_ms, sql_ms = paired_medians_ms(raw, view_sql)
    return name, raw_ms, sql_ms, median_ms(queries), median_ms(view), len(statements)
