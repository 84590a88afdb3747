"""What happens to applications when a deadline passes (driven by the scheduler, ``scheduling``).

A deadline is a call's ``closes_at``, or a stage's own ``closes_at`` for the applications of that
stage (``Application.deadline``). When it has passed:

- drafts never submitted become «not submitted» (``CLOSE_UNSUBMITTED``): read-only from then on;
- applications reopened for changes fall back to «submitted» (``CLOSE_REOPENED``): their last
  submitted version is the one that counts, the unsent changes are not part of it;
- every submitted application (those just fallen back included) goes to formal check
  (``START_FORMAL_CHECK``), where the officers take over;

each as set-based SQL whatever the number of applications: on PostgreSQL ONE statement per step,
``WITH changed AS (UPDATE … WHERE state = <source> RETURNING id) INSERT INTO <events> SELECT … FROM
changed``, so the timeline events are those of exactly the rows it changed; on SQLite an ``INSERT …
SELECT`` and an ``UPDATE`` under its write lock (``_transition_all``). Nothing is done per row in
Python; the database's work per row is a new row version on the same page with no index entry (a HOT
update: ``state`` is in no index and the table keeps room on its pages, ``Application.Meta``), the
event and its two index entries, and the event's foreign-key check at commit. 100 000 drafts: about
1.8 s (`make bench`, ``BENCH close-100k``, target 2 s of wall clock; 3.4 s before the HOT updates).

Guarded so a rerun changes nothing: the ``UPDATE`` only matches rows still in the source state.
A submit in flight is safe too: it holds the application's row lock (``common.lock_application``),
so the ``UPDATE`` waits for it and then re-reads the row (PostgreSQL re-checks ``state`` on the new
row version under READ COMMITTED), finds it submitted and leaves it alone. The submit itself decides
the deadline by the request's clock, not by this having run.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import StaffRole
from schemes.models import Call, CallStage

from ..models import Application, ApplicationEvent, ApplicationVersion, EventKind
from ..workflow import CLOSE_REOPENED, CLOSE_UNSUBMITTED, COUNTED_STATES, START_FORMAL_CHECK, Actor, transition

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
    # The stages as a subquery, not a join: the close's UPDATE then filters the table by its own
    # ``application_call`` index instead of joining it to itself (``_transition_all``).
    without_deadline = CallStage.objects.filter(closes_at__isnull=True).values("pk")
    return Application.objects.filter(call=call).filter(Q(stage__isnull=True) | Q(stage__in=without_deadline))


def _column(model, name: str) -> str:
    return model._meta.get_field(name).column


def _transition_all(scope: QuerySet[Application], name: str, *, now: datetime, data: dict,
                    with_version: bool = False) -> int:  # fmt: skip
    """Fire a system transition on every application of ``scope`` in its source state and record
    one timeline event for each row it changed, whatever their number, in set-based SQL; returns
    how many it changed. ``data`` is the events' data; ``with_version`` adds the application's last
    submitted version number to it (looked up by the database, per row).

    - PostgreSQL: ONE statement, ``WITH changed AS (UPDATE … RETURNING id) INSERT INTO events
      SELECT … FROM changed``: the events are those of exactly the rows the ``UPDATE`` wrote. The
      ``state`` condition is what guards: it is re-checked on each row at the moment the row is
      written (a submit holding the row's lock is waited for, and its row left alone).
    - SQLite (`make run`): no data-changing statement in a ``WITH``, so ``INSERT … SELECT`` and then
      the ``UPDATE``, both with the same condition. They match the same rows because the transaction
      holds SQLite's one write lock from its first write on (``transaction_mode`` IMMEDIATE, and a
      write statement takes the lock before it reads): nobody else can change a row in between.
      The two counts are compared all the same, and a difference rolls everything back.
    """
    t = transition(name)
    assert Actor.SYSTEM in t.actors, name  # noqa: S101 - the table, not input
    assert len(t.sources) == 1, name  # noqa: S101 - one source: the event's from_state
    (source,) = t.sources
    connection = connections[scope.db]
    qn = connection.ops.quote_name
    app, app_id, app_state = (qn(Application._meta.db_table), qn(_column(Application, "id")),
                              qn(_column(Application, "state")))  # fmt: skip
    event = qn(ApplicationEvent._meta.db_table)
    event_columns = ", ".join(
        qn(_column(ApplicationEvent, f))
        for f in ("application", "kind", "at", "actor", "from_state", "to_state", "data", "internal")
    )
    version_sql = "(SELECT MAX(v.{number}) FROM {versions} v WHERE v.{application} = {{id}})".format(  # noqa: S608
        number=qn(_column(ApplicationVersion, "number")), versions=qn(ApplicationVersion._meta.db_table),
        application=qn(_column(ApplicationVersion, "application")),
    )  # fmt: skip
    postgres = connection.vendor == "postgresql"
    if postgres:
        data_sql = "%s::jsonb"
        if with_version:
            data_sql = f"(%s::jsonb || jsonb_build_object('version', {version_sql}))"
    else:
        data_sql = f"json_set(%s, '$.version', {version_sql})" if with_version else "%s"
    event_kind = {CLOSE_UNSUBMITTED: EventKind.NOT_SUBMITTED, CLOSE_REOPENED: EventKind.DEADLINE_PASSED}.get(
        name, EventKind.STATE_CHANGED
    )
    at = connection.ops.adapt_datetimefield_value(now)
    values = [event_kind, at, source, t.target, json.dumps(data)]
    # The rows: the scope's own WHERE when it needs no join (``deadline_scope``), so the UPDATE reads
    # the application table once, by its ``application_call`` index; else ``id IN (the scope's ids)``, which
    # PostgreSQL runs as a join of the table with itself (a scan of every application with that state).
    # No ORDER BY (the model's default ordering would sort 100 000 ids for nothing).
    query = scope.filter(state=source).order_by().query
    compiler = query.get_compiler(using=scope.db)
    if sum(1 for refs in query.alias_refcount.values() if refs) == 1:
        where, where_params = compiler.compile(query.where)
    else:
        ids_sql, ids_params = scope.filter(state=source).order_by().values("pk").query.get_compiler(
            using=scope.db).as_sql()  # fmt: skip
        where, where_params = f"{app_id} IN ({ids_sql}) AND {app_state} = %s", [*ids_params, source]
    # Names come from the models (quoted); every value is a parameter.
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(
                f"WITH changed AS (UPDATE {app} SET {app_state} = %s WHERE {where} RETURNING {app_id} AS id) "  # noqa: S608
                f"INSERT INTO {event} ({event_columns}) SELECT changed.id, %s, %s, NULL, %s, %s, "
                f"{data_sql.format(id='changed.id')}, %s FROM changed ORDER BY changed.id",
                [t.target, *where_params, *values, False],
            )
            return cursor.rowcount
        cursor.execute(
            f"INSERT INTO {event} ({event_columns}) SELECT {app}.{app_id}, %s, %s, NULL, %s, %s, "  # noqa: S608
            f"{data_sql.format(id=f'{app}.{app_id}')}, %s FROM {app} WHERE {where} ORDER BY {app}.{app_id}",
            [*values, False, *where_params],
        )
        recorded = cursor.rowcount
        cursor.execute(f"UPDATE {app} SET {app_state} = %s WHERE {where}", [t.target, *where_params])  # noqa: S608
        if cursor.rowcount != recorded:
            raise RuntimeError(f"{name}: {cursor.rowcount} applications changed but {recorded} events recorded")
        return recorded


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
    data = {"deadline": deadline.isoformat()}
    with transaction.atomic(using=scope.db):
        closed = _transition_all(scope, CLOSE_UNSUBMITTED, now=now, data=data)
        fell_back = _transition_all(scope, CLOSE_REOPENED, now=now, data=data, with_version=True)
        to_check = _transition_all(scope, START_FORMAL_CHECK, now=now,
                                   data={**data, "transition": START_FORMAL_CHECK, "comment": ""})  # fmt: skip
        submitted = scope.filter(state__in=COUNTED_STATES).count()
    return DeadlineClose(not_submitted=closed, fell_back=fell_back, to_formal_check=to_check, submitted=submitted)


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
