"""A second test database on SQLite — the backend `make run` uses — for tests that prove a feature
answers the same there as on PostgreSQL.

A test asks for both (``@pytest.mark.django_db(databases=["default", "sqlite"])``) and runs its
code inside ``using_database("sqlite")``: the router then sends every read and write of that
thread (factories, services, requests through the test client) to SQLite. Outside it the router
has no opinion, so every other test uses PostgreSQL as before and the SQLite database is only
created when a test asks for it.

While a database is being migrated, everything goes to it: the project's data migrations (reference
data, municipalities) use the default manager, as a single-database project may, and would
otherwise fill PostgreSQL twice and leave SQLite without them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_migrate, pre_migrate

_alias: ContextVar[str | None] = ContextVar("test_database", default=None)
_migrating: list[str] = []


class PinnedDatabaseRouter:
    def db_for_read(self, model, **hints):
        return _alias.get() or (_migrating[-1] if _migrating else None)

    db_for_write = db_for_read


def _migration_starts(sender, using, **kwargs):
    _migrating.append(using)


def _migration_ends(sender, using, **kwargs):
    if _migrating and _migrating[-1] == using:
        _migrating.pop()


# Sent once per migrate run (no sender filter): the first app's signal opens, the last closes.
pre_migrate.connect(_migration_starts, dispatch_uid="tests.databases.start")
post_migrate.connect(_migration_ends, dispatch_uid="tests.databases.end")


@contextmanager
def using_database(alias: str) -> Iterator[None]:
    token = _alias.set(alias)
    try:
        yield
    finally:
        _alias.reset(token)
