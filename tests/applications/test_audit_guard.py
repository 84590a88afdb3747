"""Application events and submitted versions are append-only in the database itself
(``applications/audit_guard.py``): raw SQL and ``_base_manager`` are refused on PostgreSQL and on
SQLite (`make run`), and only ``audit_maintenance`` — retention's anonymising — gets through."""

import pytest
from django.db import IntegrityError, connections, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from applications.audit_guard import audit_maintenance
from applications.models import Application, ApplicationEvent, ApplicationVersion, EventKind
from tests.databases import using_database
from tests.factories import CallFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])


@pytest.fixture(params=["default", "sqlite"], ids=["postgresql", "sqlite"])
def database(request):
    assert connections[request.param].vendor == ("postgresql" if request.param == "default" else "sqlite")
    with using_database(request.param):
        yield request.param


@pytest.fixture
def history(database):
    actor = UserFactory(full_name="Kari Nordmann")
    application = Application.objects.create(call=CallFactory(), organisation=OrganisationFactory(), title="T")
    event = ApplicationEvent.objects.create(application=application, kind=EventKind.CREATED, actor=actor,
                                            data={"note": "opprettet"})  # fmt: skip
    version = ApplicationVersion.objects.create(
        application=application, number=1, submitted_at=timezone.now(), submitted_by=actor, content={"a": 1},
        content_sha256="0" * 64,
    )  # fmt: skip
    return {"database": database, "application": application, "event": event, "version": version, "actor": actor}


def _refused(database, sql, params=()):
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(using=database),
        connections[database].cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_raw_sql_cannot_rewrite_or_delete_an_event_or_a_version(history):
    database, event, version = history["database"], history["event"], history["version"]

    _refused(database, "UPDATE applications_applicationevent SET kind = 'withdrawn' WHERE id = %s", [event.pk])
    _refused(database, "UPDATE applications_applicationevent SET actor_id = NULL")
    _refused(database, "DELETE FROM applications_applicationevent WHERE id = %s", [event.pk])
    _refused(database, "DELETE FROM applications_applicationevent")
    _refused(database, "UPDATE applications_applicationversion SET content = '{}' WHERE id = %s", [version.pk])
    _refused(database, "DELETE FROM applications_applicationversion")

    event.refresh_from_db()
    assert (event.kind, event.actor_id, event.data) == (EventKind.CREATED, history["actor"].pk, {"note": "opprettet"})
    assert ApplicationVersion.objects.get().content == {"a": 1}


def test_the_base_manager_is_refused_too(history):
    """``AppendOnlyQuerySet`` guards ``objects``; ``_base_manager`` is a plain manager, which the
    database now refuses."""
    database = history["database"]
    with pytest.raises(IntegrityError), transaction.atomic(using=database):
        ApplicationEvent._base_manager.filter(pk=history["event"].pk).update(kind=EventKind.WITHDRAWN)
    with pytest.raises(IntegrityError), transaction.atomic(using=database):
        ApplicationEvent._base_manager.filter(pk=history["event"].pk)._raw_delete(using=database)
    with pytest.raises(IntegrityError), transaction.atomic(using=database):
        ApplicationVersion._base_manager.update(content_sha256="f" * 64)
    assert ApplicationEvent.objects.get().kind == EventKind.CREATED
    assert ApplicationVersion.objects.get().content_sha256 == "0" * 64


def test_deleting_an_application_or_a_person_with_a_history_is_refused_up_front(history):
    with pytest.raises(ProtectedError):
        history["application"].delete()
    with pytest.raises(ProtectedError):
        history["actor"].delete()
    assert ApplicationEvent.objects.count() == 1


def test_audit_maintenance_anonymises_and_then_guards_again(history):
    database, event = history["database"], history["event"]
    with audit_maintenance(reason="retention: test", using=database):
        ApplicationEvent._base_manager.filter(pk=event.pk).update(actor=None, data={})
    event.refresh_from_db()
    assert (event.kind, event.actor_id, event.data) == (EventKind.CREATED, None, {})

    # The same transaction goes on guarded once the block is left.
    with transaction.atomic(using=database):
        with audit_maintenance(reason="retention: test", using=database):
            pass
        with pytest.raises(IntegrityError), transaction.atomic(using=database):
            ApplicationEvent._base_manager.update(data={"x": 1})
    _refused(database, "UPDATE applications_applicationevent SET data = '{}'")


def test_a_refused_maintenance_block_leaves_the_guard_in_place(history):
    database = history["database"]
    with pytest.raises(RuntimeError), audit_maintenance(reason="retention: test", using=database):
        ApplicationEvent._base_manager.update(data={"x": 1})
        raise RuntimeError("stop")
    assert ApplicationEvent.objects.get().data == {"note": "opprettet"}
    _refused(database, "DELETE FROM applications_applicationevent")


def test_truncate_is_refused_unless_the_session_allows_it(history):
    """PostgreSQL only (SQLite has no TRUNCATE). The test settings allow it for the flush that
    ends transactional tests; switched off, as in production, it is refused, also by CASCADE."""
    if history["database"] != "default":
        pytest.skip("SQLite has no TRUNCATE")
    with transaction.atomic(), connections["default"].cursor() as cursor:
        cursor.execute("SELECT set_config('portal.allow_truncate', 'off', true)")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the fixture's inserts: no pending FK checks
        with pytest.raises(IntegrityError, match="TRUNCATE refused"), transaction.atomic():
            cursor.execute("TRUNCATE applications_applicationevent")
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            cursor.execute("TRUNCATE applications_application CASCADE")
    assert ApplicationEvent.objects.count() == 1
