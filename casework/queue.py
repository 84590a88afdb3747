"""The officer's work queue: which applications a person may list, the per-row figures (reviews,
weighted score, overdue) so a page is one query whatever the number of applications, and keyset
pagination by (submitted_at, pk) — never OFFSET.

The weighted score and the first due date of an open review are stored on the application and
indexed (``review/figures.py`` keeps them in the transaction that changes their sources), so a
score range or «forsinket» is an index condition, not a GROUP BY over every score or a scan of every
assignment. The review counts are correlated subqueries, evaluated for the returned rows only.
The keyset's bounds are passed as the backend stores them (SQLite compares text).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection
from django.db.models import BooleanField, Case, Count, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.permissions import staff_access
from applications.models import Application
from applications.workflow import STAFF_VISIBLE_STATES
from organisations.models import Organisation
from review.figures import OPEN_ASSIGNMENT_STATES
from review.models import AssignmentState, ReviewAssignment, ReviewSettings

PAGE_SIZE = 50
DEFAULT_REVIEWERS = ReviewSettings._meta.get_field("reviewers_per_application").default


def handles_any_scheme(user) -> bool:
    access = staff_access(user)
    return access.all_schemes or bool(access.handled_scheme_ids)


def queue_scope(*, user):
    """The applications the person may list: submitted ones (past drafts) of the schemes they
    handle (every scheme for a superuser). Nothing for reviewers and applicants. A draft withdrawn
    before it was ever submitted (no ``submitted_at``) never reached the agency and is not listed."""
    access = staff_access(user)
    queryset = Application.objects.filter(state__in=STAFF_VISIBLE_STATES, submitted_at__isnull=False)
    if access.all_schemes:
        return queryset
    if not access.handled_scheme_ids:
        return queryset.none()
    return queryset.filter(call__scheme_id__in=sorted(access.handled_scheme_ids))


def _table(model) -> str:
    return model._meta.db_table


def score_between(queryset, *, low=None, high=None):
    """The applications whose weighted score lies in [low, high] (either bound may be None): a range
    on the stored, indexed ``weighted_score`` (review/figures.py keeps it)."""
    if low is not None:
        queryset = queryset.filter(weighted_score__gte=low)
    if high is not None:
        queryset = queryset.filter(weighted_score__lte=high)
    return queryset


def _assignment_count(**conditions):
    counted = (
        ReviewAssignment.objects.filter(application=OuterRef("pk"), **conditions)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_figures(queryset, *, today: date):
    """Add ``reviews_done`` (submitted), ``reviews_assigned`` (not conflicted), ``reviews_wanted``
    (the call's setting), ``score`` (weighted) and ``overdue`` (an open assignment past its due date)."""
    wanted = ReviewSettings.objects.filter(call=OuterRef("call")).values("reviewers_per_application")
    return queryset.annotate(
        reviews_done=_assignment_count(state=AssignmentState.SUBMITTED),
        reviews_assigned=_assignment_count(state__in=[*OPEN_ASSIGNMENT_STATES, AssignmentState.SUBMITTED]),
        reviews_wanted=Coalesce(Subquery(wanted[:1]), Value(DEFAULT_REVIEWERS)),
        score=F("weighted_score"),  # stored (review/figures.py), as the filter reads it
        overdue=Case(
            When(review_due_first__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    )


def for_table(queryset):
    """What the table shows. The organisation's name is a subquery rather than a join, so the
    planner keeps the LIMIT right above the sort (a top-N sort, not sorting every row in scope)
    and looks the name up for the returned rows only."""
    name = Organisation.objects.filter(pk=OuterRef("organisation_id")).values("name")[:1]
    return (
        queryset.select_related("call")
        .only(
            "pk",
            "reference",
            "title",
            "state",
            "submitted_at",
            "call_id",
            "organisation_id",
            "call__title",
            "call__title_nn",
            "call__title_en",
            "call__slug",
        )
        .annotate(organisation_name=Subquery(name))
    )


# --- Keyset pagination --------------------------------------------------------------------------
@dataclass(frozen=True)
class Cursor:
    submitted_at: datetime
    pk: int

    def __str__(self) -> str:
        micros = int(self.submitted_at.timestamp()) * 1_000_000 + self.submitted_at.microsecond
        return f"{micros}-{self.pk}"

    @classmethod
    def parse(cls, text: str | None) -> "Cursor | None":
        """A cursor from the address, or None when it is missing or not one (the first page)."""
        if not text or text.count("-") != 1:
            return None
        micros, pk = text.split("-")
        if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18 or len(pk) > 18:
            return None
        seconds, fraction = divmod(int(micros), 1_000_000)
        try:
            moment = datetime.fromtimestamp(seconds, tz=UTC).replace(microsecond=fraction)
        except (OverflowError, OSError, ValueError):
            return None
        return cls(moment, int(pk))

    @classmethod
    def of(cls, application) -> "Cursor":
        return cls(application.submitted_at, application.pk)


@dataclass
class QueuePage:
    rows: list
    next_cursor: Cursor | None
    previous_cursor: Cursor | None


def _row_compare(operator: str, cursor: Cursor) -> RawSQL:
    """(submitted_at, id) < or > the cursor's: PostgreSQL's row comparison, the keyset's own form
    (one condition the planner estimates well, and an index on (submitted_at, id) would serve)."""
    sql = f"({_table(Application)}.submitted_at, {_table(Application)}.id) {operator} (%s, %s)"
    # As the backend stores the moment: SQLite compares text, and a raw aware datetime carries a
    # «+00:00» the stored values lack, so the cursor's own row sorted before it and every next
    # page began with the last page's final row again (paging over ties never ended).
    moment = connection.ops.adapt_datetimefield_value(cursor.submitted_at)
    return RawSQL(sql, (moment, cursor.pk), output_field=BooleanField())  # noqa: S611 - operator is ours


def keyset_page(queryset, *, after: Cursor | None = None, before: Cursor | None = None, size: int = PAGE_SIZE):
    """One page, newest submission first (ties broken by pk, so rows sharing a moment are neither
    repeated nor skipped). ``after``: the page following that row; ``before``: the page preceding
    it. One query: ``size + 1`` rows tell whether there is more in the direction of travel."""
    if before is not None:
        rows = list(queryset.filter(_row_compare(">", before)).order_by("submitted_at", "pk")[: size + 1])
        more = len(rows) > size
        rows = rows[:size][::-1]
        return QueuePage(
            rows=rows,
            next_cursor=Cursor.of(rows[-1]) if rows else None,
            previous_cursor=Cursor.of(rows[0]) if rows and more else None,
        )
    if after is not None:
        queryset = queryset.filter(_row_compare("<", after))
    rows = list(queryset.order_by("-submitted_at", "-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return QueuePage(
        rows=rows,
        next_cursor=Cursor.of(rows[-1]) if rows and more else None,
        previous_cursor=Cursor.of(rows[0]) if rows and after is not None else None,
    )


def oslo_today() -> date:
    return timezone.localdate()
