"""Django's database sessions, with one difference when the database does not answer.

Django's ``SessionBase._get_session`` loads the session inside ``except AttributeError`` (the
missing ``_session_cache``), so a database outage is logged as «'SessionStore' object has no
attribute '_session_cache'», with the real cause (OperationalError) further down as «During
handling of the above exception …». During an outage every request's log then leads with the
follow-on error. This store loads outside the ``except``, so the traceback is the real cause only.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _get_session(self, no_load=False):
        self.accessed = True
        if not hasattr(self, "_session_cache"):
            if self.session_key is None or no_load:
                self._session_cache = {}
            else:
                self._session_cache = self.load()
        return self._session_cache

    _session = property(_get_session)
