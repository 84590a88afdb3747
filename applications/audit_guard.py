"""The database's own guard on the application history: events and submitted versions are
append-only for every client of the database, not only for the ORM (``AppendOnlyModel`` stops
``save``/``update``/``delete`` in Python; raw SQL and ``_base_manager`` would get past that).

PostgreSQL: a row trigger refuses UPDATE and DELETE, a statement trigger refuses TRUNCATE (also a
``TRUNCATE … CASCADE`` from another table). SQLite (``make run``): triggers that ``RAISE(ABORT)``
on UPDATE and DELETE (SQLite has no TRUNCATE). Both answer with an integrity error
(``django.db.IntegrityError``), whose message names the table and what was refused.

Two ways through, both explicit and both confined to one transaction:

- ``audit_maintenance(reason=…)`` lets one transaction UPDATE and DELETE rows: retention
  anonymising events (``actor`` to NULL, personal details out of ``data``) is the one intended use.
  On PostgreSQL it sets the transaction-local ``portal.audit_maintenance``; on SQLite it drops the
  triggers and creates them again before the transaction ends (SQLite's DDL is transactional and
  its writers are serialised, so no other connection ever sees the table unguarded).
- TRUNCATE passes on PostgreSQL when the session sets ``portal.allow_truncate=on``. Only the test
  settings do (``-c portal.allow_truncate=on`` in the connection options), because transactional
  tests and ``manage.py flush`` empty every table with one TRUNCATE; in production a flush is refused.

A role that owns the tables can still drop a trigger: the guard stops the application and its
operators' everyday tools from rewriting history, it is not a defence against the database owner.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction

GUARDED_TABLES = ("applications_applicationevent", "applications_applicationversion")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        IF coalesce(current_setting('portal.allow_truncate', true), '') = 'on' THEN
            RETURN NULL;
        END IF;
    ELSIF coalesce(current_setting('portal.audit_maintenance', true), '') <> '' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'History is changed only inside applications.audit_guard.audit_maintenance().';
END
$$
"""


def _pg_install(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION portal_append_only()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION portal_append_only()",
    ]


def _sqlite_install(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: {op} refused'); END"
        for op in ("UPDATE", "DELETE")
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")]


def guard_install(schema_editor) -> None:
    """Create the triggers (a migration's forward step)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_PG_FUNCTION, params=None)  # its RAISE has % placeholders
        for table in GUARDED_TABLES:
            for statement in _pg_install(table):
                schema_editor.execute(statement)
    elif vendor == "sqlite":
        for table in GUARDED_TABLES:
            for statement in _sqlite_install(table):
                schema_editor.execute(statement)


def guard_restore(schema_editor) -> None:
    """Create the SQLite triggers again after a migration changed a guarded table: SQLite alters a
    column (even only its index) by copying the table, and the copy has no triggers. PostgreSQL
    alters in place and keeps them (nothing to do). Put it after the table's operations, and at the
    start of the migration for its backward step (which copies the table again)."""
    if schema_editor.connection.vendor == "sqlite":
        for table in GUARDED_TABLES:
            for statement in [*_sqlite_drop(table), *_sqlite_install(table)]:
                schema_editor.execute(statement)


def guard_remove(schema_editor) -> None:
    """Drop the triggers (the migration's backward step)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in GUARDED_TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS portal_append_only()")
    elif vendor == "sqlite":
        for table in GUARDED_TABLES:
            for statement in _sqlite_drop(table):
                schema_editor.execute(statement)


@contextmanager
def audit_maintenance(*, reason: str, using: str = "default") -> Iterator[None]:
    """Let the enclosed code UPDATE or DELETE history rows, within one transaction (opened here if
    none is open). ``reason`` says why (PostgreSQL keeps it as the setting's value for the
    transaction's length; write what was done to an audit row of its own too). The ORM's own
    refusals (``AppendOnlyModel``) still apply: use ``ApplicationEvent._base_manager`` or SQL."""
    if not reason:
        raise ValueError("audit_maintenance needs a reason")
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('portal.audit_maintenance', %s, true)", [reason])
            yield
            # Transaction-local, not savepoint-local: closed here when an outer transaction goes on.
            # (When the block raises, the savepoint's rollback undoes the setting.)
            cursor.execute("SELECT set_config('portal.audit_maintenance', '', true)")
        elif connection.vendor == "sqlite":
            for table in GUARDED_TABLES:
                for statement in _sqlite_drop(table):
                    cursor.execute(statement)
            yield
            for table in GUARDED_TABLES:
                for statement in _sqlite_install(table):
                    cursor.execute(statement)
        else:
            yield
