"""Django's database sessions, with two differences: when the database does not answer, and saving.

Django's ``SessionBase._get_session`` loads the session inside ``except AttributeError`` (the
missing ``_session_cache``), so a database outage is logged as «'SessionStore' object has no
attribute '_session_cache'», with the real cause (OperationalError) further down as «During
handling of the above exception …». During an outage every request's log then leads with the
follow-on error. This store loads outside the ``except``, so the traceback is the real cause only.

And an existing session's expiry is moved forward without a savepoint around the UPDATE (``save``),
and only when it would move by more than ``EXPIRY_SLACK``: with ``SESSION_SAVE_EVERY_REQUEST``,
every page wrote (and committed) the session row only to push its expiry a few seconds on. A
session whose data did not change is now written at most once a minute; it may then end up to a
minute before its two idle hours are up, never after.
"""

from datetime import timedelta

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import DatabaseError, router

EXPIRY_SLACK = timedelta(minutes=1)


class SessionStore(DatabaseSessionStore):
    _stored_expiry = None  # the row's expire_date as loaded (None: not loaded, or no row)

    def load(self):
        row = self._get_session_from_db()
        self._stored_expiry = row.expire_date if row else None
        return self.decode(row.session_data) if row else {}

    def _expiry_is_fresh(self) -> bool:
        """The stored expiry is within ``EXPIRY_SLACK`` of the one a save would write now."""
        return self._stored_expiry is not None and self.get_expiry_date() - self._stored_expiry < EXPIRY_SLACK

    def _get_session(self, no_load=False):
        self.accessed = True
        if not hasattr(self, "_session_cache"):
            if self.session_key is None or no_load:
                self._session_cache = {}
            else:
                self._session_cache = self.load()
        return self._session_cache

    _session = property(_get_session)

    def save(self, must_create=False):
        """Creating a session keeps Django's savepoint (a clash of keys must not break the
        request's transaction). Moving an existing one's expiry, on every request
        (``SESSION_SAVE_EVERY_REQUEST``), is one UPDATE on its own: Django's ``force_update`` finding
        no row is an error raised in Python, not by the database, so there is nothing to roll back,
        and a savepoint (or BEGIN/COMMIT) around it is two round trips more on every page."""
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        if not self.modified and self._expiry_is_fresh():
            return None
        obj = self.create_model_instance(self._get_session())
        try:
            obj.save(force_update=True, using=router.db_for_write(self.model, instance=obj))
        except DatabaseError as error:
            raise UpdateError from error
