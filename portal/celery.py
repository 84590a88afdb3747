"""The Celery application. Its configuration is the ``CELERY_*`` settings (portal/settings.py)."""

import logging
import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _ensure_filesystem_broker_folders() -> None:
    """The embedded broker (kombu's filesystem transport) needs its folders before first use."""
    if not str(app.conf.broker_url).startswith("filesystem:"):
        return
    for key in ("data_folder_in", "data_folder_out", "control_folder", "processed_folder"):
        folder = app.conf.broker_transport_options.get(key)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)


_ensure_filesystem_broker_folders()


def producer_pool_warm_up() -> None:
    """Load the broker transport and open the producer pool's first connection in this process,
    so the first task a request publishes (the receipts' sweep, after a submit commits) does not
    pay for it: importing kombu's Redis transport and redis-py, finalizing the app and connecting
    took hundreds of milliseconds per web process, measured in the deadline rush. Later publishes
    reuse the pool's connections (``broker_pool_limit``). gunicorn loads the WSGI module in each
    worker after the fork (no ``--preload``), so no connection is shared between processes. A
    broker that is down is not an error here: the first publish connects (and retries) itself."""
    try:
        app.finalize(auto=True)
        with app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=1)
    except Exception:  # a warm-up: publishing reports its own errors
        logging.getLogger(__name__).warning("The Celery broker could not be reached at start-up", exc_info=True)
