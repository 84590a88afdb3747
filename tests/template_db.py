"""Test databases cloned from a template, for runs that make the same databases again and again.

`make test-dated` runs the date-sensitive tests at nine moments, each a pytest run of its own with
fresh test databases: a reused one has lost the migrations' reference data to the last run's
transactional tests. Migrating two databases nine times cost about 22 s a moment. With
``PORTAL_TEST_DB_TEMPLATE`` set (a token naming one `make test-dated`), the first moment migrates as
usual and then copies each fresh database to ``<name>_tmpl``, commented with the token; the later
moments drop their database and create it from that copy (``CREATE DATABASE … TEMPLATE``, under a
second) before pytest-django looks at it, which then keeps it as with ``--reuse-db``.

A template carrying another token (an earlier run, other migrations) is dropped and made again.
PostgreSQL only; on SQLite nothing changes.
"""

import os
import re

from django.db import connection, connections

ENV = "PORTAL_TEST_DB_TEMPLATE"


def token() -> str | None:
    value = os.environ.get(ENV, "").strip()
    if value and not re.fullmatch(r"[A-Za-z0-9_.-]{1,60}", value):
        raise ValueError(f"{ENV} must be letters, digits, '.', '_' or '-': {value!r}")
    return value or None


def _applies() -> bool:
    return bool(token()) and connection.vendor == "postgresql"


def _names() -> tuple[str, str]:
    name = connection.settings_dict["TEST"]["NAME"]
    return name, f"{name}_tmpl"


def clone_from_template() -> bool:
    """Before the test databases are set up: make this run's database from the template.
    True when it did (the database is then ready and must be kept, not made again)."""
    if not _applies():
        return False
    name, template = _names()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template])
        row = cursor.fetchone()
        if row is None:
            return False
        if row[0] != token():
            cursor.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            return False
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return True


def save_as_template() -> None:
    """Right after a fresh database was migrated, before any test: keep a copy for the next moments."""
    if not _applies():
        return
    name = connection.settings_dict["NAME"]  # the test database's, now that it is set up
    template = f"{name}_tmpl"
    connections.close_all()  # a template may have no other session on it
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
        cursor.execute(f"COMMENT ON DATABASE \"{template}\" IS '{token()}'")
