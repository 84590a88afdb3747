"""Test databases cloned from one template, so a `make test` migrates a database once, not 20 times.

`make test` runs the whole suite on two xdist workers and, beside it, the date-sensitive tests at
nine moments, each a pytest run of its own on two workers with fresh databases (a reused one has
lost the migrations' reference data to the last run's transactional tests). Each of those 20 test
databases was migrated from nothing: about 20 s each on an idle machine, up to 50 s beside the
rest of the suite.

With ``PORTAL_TEST_DB_TEMPLATE`` set (a token naming one `make test`), the first process to set up
its database takes a PostgreSQL advisory lock, migrates its database as usual and copies it, before
any test has run, to ``test_<NAME>_<checkout>_tmpl``, commented with the token. Every other process
waits for that lock, then drops its database and creates it from the copy
(``CREATE DATABASE … TEMPLATE``, under a second), and pytest-django keeps it as with
``--reuse-db`` (its ``migrate`` then finds nothing to do). A template with another token (an earlier
run, other migrations) is dropped and made again. PostgreSQL only; without the token nothing changes.
"""

import os
import re

from django.conf import settings
from django.db import connection, connections

ENV = "PORTAL_TEST_DB_TEMPLATE"

_lock_holder = None  # the raw connection holding the lock while this process builds the template


def token() -> str | None:
    value = os.environ.get(ENV, "").strip()
    if value and not re.fullmatch(r"[A-Za-z0-9_.-]{1,60}", value):
        raise ValueError(f"{ENV} must be letters, digits, '.', '_' or '-': {value!r}")
    return value or None


def _applies() -> bool:
    return bool(token()) and connection.vendor == "postgresql"


def template_name() -> str:
    """One per checkout, shared by the main run's and the dated runs' databases (tests/settings.py)."""
    name = re.sub(r"_gw\d+$", "", settings.DATABASES["default"]["TEST"]["NAME"])
    return name.removesuffix("_dated") + "_tmpl"


def _template_is_current(cursor) -> bool:
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template_name()]
    )
    row = cursor.fetchone()
    return row is not None and row[0] == token()


def clone_from_template() -> bool:
    """Before the test databases are set up. True when this process's database was made from the
    template (ready, to be kept); False when it must be migrated, and then ``save_as_template``
    must follow once it is (this process holds the lock meanwhile)."""
    global _lock_holder
    if not _applies():
        return False
    params = {**connection.get_connection_params(), "dbname": "postgres"}
    holder = connection.Database.connect(**params)
    holder.autocommit = True
    with holder.cursor() as cursor:
        # Keyed on the template's name: another checkout's run (its own template) never waits on it.
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [template_name()])  # while another builds it
        if not _template_is_current(cursor):
            _lock_holder = holder  # released by save_as_template
            return False
        name = connection.settings_dict["TEST"]["NAME"]
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name()}"')
    holder.close()  # and the lock with it
    return True


def save_as_template() -> None:
    """Right after this process migrated its fresh database, before any test: copy it for the others."""
    global _lock_holder
    if _lock_holder is None:
        return
    name = connection.settings_dict["NAME"]  # the test database's, now that it is set up
    template = template_name()
    connections.close_all()  # a template's source may have no other session on it
    try:
        with _lock_holder.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
            cursor.execute(f"COMMENT ON DATABASE \"{template}\" IS '{token()}'")
    finally:
        _lock_holder.close()
        _lock_holder = None
