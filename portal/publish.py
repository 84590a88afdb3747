"""Publishing Celery tasks without ever failing what was stored.

Everything the portal hands to a worker is a row first (a deadline, a notice, a scheduled effect),
and beat's sweep every minute claims what is due (scheduling/engine.py). A task sent after a commit
only makes that happen *now* rather than at the next tick. So when the broker does not answer (Redis
restarting), the send is logged and dropped: the row is stored, the sweep catches it up, and the
person who saved or submitted is never shown a failure of something that was in fact stored.
"""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def publish(task, *args, **kwargs) -> bool:
    """Send ``task`` now; True if the broker took it. Never raises: a broker that does not answer
    is logged (with the task's name, so the log says what the sweep will catch up)."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:
        logger.exception("could not publish task %s; the reconciliation sweep will catch it up", task.name)
        return False
    return True


def publish_on_commit(task, *args, **kwargs) -> None:
    """``publish`` once the surrounding transaction commits (at once outside one); nothing is sent
    about a change that was rolled back."""
    transaction.on_commit(partial(publish, task, *args, **kwargs))
