"""Whether a request that failed had stored anything: the fault pages say so (issue 18).

A person who pressed «Lagre» or «Send inn» and got an error must learn whether it was saved. The
only honest source is the database itself: ``FaultMiddleware`` watches the statements of every
request that may write (not GET/HEAD/OPTIONS/TRACE) and notes when a write has *committed* – at
once for a write outside a transaction (autocommit), or when the transaction around it commits
(``on_commit``: a write in a block that is rolled back never counts). The fault pages
(portal/views.py ``server_error``) then say «was not saved» when nothing committed, «was saved»
when something did, and nothing about saving for a request that cannot write.
"""

from django.db import connection, transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
WRITE_STATEMENTS = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE"})


class CommittedWrites:
    """An execute wrapper (``connection.execute_wrapper``) that records committed writes."""

    def __init__(self):
        self.committed = False

    def _mark_committed(self):
        self.committed = True

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        words = sql.lstrip().split(None, 1)
        if words and words[0].upper() in WRITE_STATEMENTS and not self.committed:
            if context["connection"].in_atomic_block:
                transaction.on_commit(self._mark_committed, using=context["connection"].alias)
            else:
                self.committed = True
        return result


class FaultMiddleware:
    """Puts ``request.committed_writes`` on every request that may write. Outermost but for the
    security middleware, so the writes of every later middleware and the view are seen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        request.committed_writes = CommittedWrites()
        with connection.execute_wrapper(request.committed_writes):
            return self.get_response(request)


def saved_state(request) -> str:
    """``"saved"``, ``"not-saved"`` or ``""`` (a request that cannot write, or one we did not see)."""
    writes = getattr(request, "committed_writes", None)
    if writes is None:
        return ""
    return "saved" if writes.committed else "not-saved"
