"""The deadline close is set-based SQL (``applications.services.deadlines._transition_all``): one
``WITH … UPDATE … RETURNING … INSERT … SELECT`` per step on PostgreSQL, an ``INSERT … SELECT`` and
an ``UPDATE`` under the write lock on SQLite (`make run`). Both give the same states and the same
timeline events, one per changed application, and a rerun changes nothing."""

from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from applications.models import Application, ApplicationEvent, ApplicationVersion
from applications.services import applications_close_at_deadline
from applications.services.deadlines import DeadlineClose
from applications.workflow import State
from schemes.models import CallStage
from tests.databases import using_database
from tests.factories import CallFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])


@pytest.fixture(params=["default", "sqlite"], ids=["postgresql", "sqlite"])
def database(request):
    assert connections[request.param].vendor == ("postgresql" if request.param == "default" else "sqlite")
    with using_database(request.param):
        yield request.param


def _application(call, organisation, title, state, *, versions=0, stage=None):
    application = Application.objects.create(call=call, organisation=organisation, title=title, state=state,
                                             stage=stage)  # fmt: skip
    for number in range(1, versions + 1):
        ApplicationVersion.objects.create(application=application, number=number, submitted_at=timezone.now(),
                                          content={}, content_sha256="0" * 64)  # fmt: skip
    return application


def test_the_close_writes_the_same_states_and_events_on_both_databases(database):
    now = timezone.now()
    deadline = now - timedelta(minutes=3)
    call = CallFactory(opens_at=now - timedelta(days=30), closes_at=deadline)
    other_call = CallFactory(opens_at=now - timedelta(days=30), closes_at=deadline)
    own_deadline = CallStage.objects.create(call=call, order=2, kind="full", closes_at=now + timedelta(days=5))
    organisation = OrganisationFactory()
    for title, state, versions in [("d1", State.DRAFT, 0), ("d2", State.DRAFT, 0), ("r", State.REOPENED, 2),
                                   ("s", State.SUBMITTED, 1), ("w", State.WITHDRAWN, 0)]:  # fmt: skip
        _application(call, organisation, title, state, versions=versions)
    _application(other_call, organisation, "other call", State.DRAFT)
    _application(call, organisation, "own deadline", State.DRAFT, stage=own_deadline)

    result = applications_close_at_deadline(call=call, now=now)

    assert result == DeadlineClose(not_submitted=2, fell_back=1, to_formal_check=2, submitted=2)
    assert dict(Application.objects.values_list("title", "state")) == {
        "d1": State.NOT_SUBMITTED, "d2": State.NOT_SUBMITTED, "r": State.FORMAL_CHECK, "s": State.FORMAL_CHECK,
        "w": State.WITHDRAWN, "other call": State.DRAFT, "own deadline": State.DRAFT,
    }  # fmt: skip
    data = {"deadline": deadline.isoformat()}
    check = {**data, "transition": "start-formal-check", "comment": ""}
    events = ApplicationEvent.objects.order_by("pk")
    assert [(e.application.title, e.kind, e.from_state, e.to_state, e.data, e.at, e.actor_id) for e in events] == [
        ("d1", "not-submitted", "utkast", "ikke-sendt", data, now, None),
        ("d2", "not-submitted", "utkast", "ikke-sendt", data, now, None),
        ("r", "deadline-passed", "gjenapnet", "sendt", {**data, "version": 2}, now, None),  # the last version
        ("r", "state-changed", "sendt", "formell-kontroll", check, now, None),
        ("s", "state-changed", "sendt", "formell-kontroll", check, now, None),
    ]  # fmt: skip
    assert not any(e.internal for e in events)

    again = applications_close_at_deadline(call=call, now=now + timedelta(minutes=5))
    assert again == DeadlineClose(not_submitted=0, fell_back=0, to_formal_check=0, submitted=2)
    assert ApplicationEvent.objects.count() == 5


@pytest.mark.django_db
def test_on_postgresql_closing_drafts_touches_no_index_hot_updates_only():
    """``state`` is in no index and the table keeps room on each page (migration 0012), so the close
    writes each draft's new version beside the old one with no index entry: a HOT update.

    Whether a page has room also depends on what earlier tests left there (rolled-back rows take
    space until pruned), so the count asked of a shared test database is "nearly all"; with
    ``state`` in an index it would be none."""
    table = Application._meta.db_table
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_index i"
            " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
            " WHERE i.indrelid = %s::regclass AND a.attname = 'state'",
            [table],
        )
        assert cursor.fetchone()[0] == 0  # no index holds the column the close changes
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        assert "fillfactor=50" in cursor.fetchone()[0]

    now = timezone.now()
    call = CallFactory(opens_at=now - timedelta(days=30), closes_at=now - timedelta(minutes=3))
    organisation = OrganisationFactory()
    Application.objects.bulk_create(
        Application(call=call, organisation=organisation, title=f"d{i}", state=State.DRAFT) for i in range(200)
    )

    def updates() -> tuple[int, int]:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s", [table])
            return cursor.fetchone()

    updated_before, hot_before = updates()
    assert applications_close_at_deadline(call=call, now=now).not_submitted == 200
    updated_after, hot_after = updates()
    assert updated_after - updated_before == 200
    assert hot_after - hot_before >= 190
