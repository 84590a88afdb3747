"""The Celery application. Its configuration is the ``CELERY_*`` settings (portal/settings.py)."""

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
