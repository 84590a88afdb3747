"""What happens to applications when a deadline passes (driven by the scheduler, ``scheduling``).

A deadline is a call's ``closes_at``, or a stage's own ``closes_at`` for the applications of that
stage (``Application.deadline``). When it has passed:

- drafts never submitted become «not submitted» (``CLOSE_UNSUBMITTED``): read-only from then on;
- applications reopened for changes fall back to «submitted» (``CLOSE_REOPENED``): their last
  submitted version is the one that counts, the unsent changes are not part of it;
- every submitted application (those just fallen back included) goes to formal check
  (``START_FORMAL_CHECK``), where the officers take over;

each as ONE set-based ``UPDATE … WHERE state = <source> RETURNING id`` (100 000 drafts close in one
statement, see `make bench`), with the timeline events bulk-created for exactly the rows it changed.

Guarded so a rerun changes nothing: the ``UPDATE`` only matches rows still in the source state.
A submit in flight is safe too: it holds the application's row lock (``common.lock_application``),
so the ``UPDATE`` waits for it and then re-reads the row (PostgreSQL re-checks ``state`` on the new
row version under READ COMMITTED), finds it submitted and leaves it alone. The submit itself decides
the deadline by the request's clock, not by this having run.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from accounts.models import StaffRole
from schemes.models import Call, CallStage

from ..models import Application, ApplicationEvent, ApplicationVersion, EventKind
from ..workflow import CLOSE_REOPENED, CLOSE_UNSUBMITTED, COUNTED_STATES, START_FORMAL_CHECK, Actor, State, transition

# The close runs this long after the deadline, never at it: a submit that arrived a moment before the
# deadline may still be waiting for the application's row lock, and must find the application as it
# was (a draft), not closed under it. No request waits this long (the web server's timeout is 30 s).
CLOSE_GRACE = timedelta(minutes=2)


class DeadlineNotPassed(Exception):
    """The deadline has not passed yet (the row ran at the very second, or the deadline moved
    later): nothing was changed; the scheduler tries again."""


@dataclass(frozen=True)
class DeadlineClose:
    not_submitted: int  # drafts closed now
    fell_back: int  # reopened applications whose last version now counts
    to_formal_check: int  # submitted applications moved to formal check now
    submitted: int  # applications in the scope that count after the deadline (all of them, not only now)


def deadline_of(*, call: Call, stage: CallStage | None = None) -> datetime:
    return stage.closes_at if stage is not None and stage.closes_at else call.closes_at


def deadline_scope(*, call: Call, stage: CallStage | None = None) -> QuerySet[Application]:
    """The applications whose deadline is this one: a stage's own applications when the stage has a
    deadline of its own, else the call's applications without a stage or in a stage without one."""
    if stage is not None and stage.closes_at:
        return Application.objects.filter(call=call, stage=stage)
    return Application.objects.filter(call=call).filter(Q(stage__isnull=True) | Q(stage__closes_at__isnull=True))


def _transition_all(scope: QuerySet[Application], name: str) -> list[int]:
    """Fire a system transition on every application of ``scope`` in its source state, in one
    statement; returns the ids it changed. The outer ``state`` condition is what guards: it is
    re-checked on each row at the moment the row is written."""
    t = transition(name)
    assert Actor.SYSTEM in t.actors, name  # noqa: S101 - the table, not input
    sources = sorted(t.sources)
    ids_sql, ids_params = scope.filter(state__in=sources).values("pk").query.sql_with_params()
    table = connection.ops.quote_name(Application._meta.db_table)
    marks = ", ".join(["%s"] * len(sources))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET state = %s WHERE id IN ({ids_sql}) AND state IN ({marks}) RETURNING id",  # noqa: S608 - names from the ORM, values as parameters
            [t.target, *ids_params, *sources],
        )
        return [row[0] for row in cursor.fetchall()]


def applications_close_at_deadline(
    *, call: Call, stage: CallStage | None = None, now: datetime | None = None
) -> DeadlineClose:
    """Close the applications of the deadline (see the module). Raises ``DeadlineNotPassed`` (and
    changes nothing) before it. A stage without a deadline of its own has nothing to close: its
    applications close with the call."""
    now = now or timezone.now()
    if stage is not None and not stage.closes_at:
        return DeadlineClose(0, 0, 0, 0)
    deadline = deadline_of(call=call, stage=stage)
    if now <= deadline:  # a submit arriving at the deadline's very second is still on time
        raise DeadlineNotPassed(f"{deadline.isoformat()} has not passed at {now.isoformat()}")
    scope = deadline_scope(call=call, stage=stage)
    with transaction.atomic():
        closed = _transition_all(scope, CLOSE_UNSUBMITTED)
        fell_back = _transition_all(scope, CLOSE_REOPENED)
        to_check = _transition_all(scope, START_FORMAL_CHECK)
        versions = dict(
            ApplicationVersion.objects.filter(application_id__in=fell_back)
            .values("application_id")
            .annotate(last=Max("number"))
            .values_list("application_id", "last")
        )
        data = {"deadline": deadline.isoformat()}
        events = [
            ApplicationEvent(
                application_id=pk, kind=EventKind.NOT_SUBMITTED, at=now, from_state=State.DRAFT,
                to_state=State.NOT_SUBMITTED, data=data,
            )
            for pk in closed
        ] + [
            ApplicationEvent(
                application_id=pk, kind=EventKind.DEADLINE_PASSED, at=now, from_state=State.REOPENED,
                to_state=State.SUBMITTED, data={**data, "version": versions.get(pk)},
            )
            for pk in fell_back
        ] + [
            ApplicationEvent(
                application_id=pk, kind=EventKind.STATE_CHANGED, at=now, from_state=State.SUBMITTED,
                to_state=State.FORMAL_CHECK, data={**data, "transition": START_FORMAL_CHECK, "comment": ""},
            )
            for pk in to_check
        ]  # fmt: skip
        ApplicationEvent.objects.bulk_create(events, batch_size=5000)
        submitted = scope.filter(state__in=COUNTED_STATES).count()
    return DeadlineClose(not_submitted=len(closed), fell_back=len(fell_back), to_formal_check=len(to_check),
                         submitted=submitted)  # fmt: skip


def deadline_officer_ids(*, call: Call) -> list[int]:
    """Who is told that the deadline passed: the scheme's saksbehandlere and the administrators of
    an agency running the scheme (``accounts.permissions.can_handle_scheme``, without superusers,
    who see everything but handle nothing in particular). Active people only."""
    agencies = call.scheme.agencies.values("pk")
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(staff_roles__role=StaffRole.Role.OFFICER, staff_roles__schemes=call.scheme_id)
            | Q(staff_roles__role=StaffRole.Role.ADMINISTRATOR, staff_roles__agency__in=agencies)
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
