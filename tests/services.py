"""Checks that the services `make test` needs are there, each failing with one clear line."""

import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FAST = os.environ.get("PORTAL_TEST_FAST") == "1"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def missing_services() -> list[str]:
    """One line per missing service, saying what to start or install."""
    problems = []
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        host, port = db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)
        if not _reachable(host, port):
            problems.append(
                f"PostgreSQL is not reachable at {host}:{port} (DATABASE_URL): start it, e.g. "
                "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`."
            )
    if not FAST:
        redis = urlsplit(os.environ["REDIS_URL"])
        host, port = redis.hostname or "127.0.0.1", redis.port or 6379
        if not _reachable(host, port):
            problems.append(
                f"Redis is not reachable at {host}:{port} (REDIS_URL): start it, e.g. "
                "`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ''`."
            )
        if not Path(CHROMIUM_PATH).exists():
            problems.append(
                f"Chromium is not installed at {CHROMIUM_PATH}: `apt-get install -y chromium` "
                "(or set CHROMIUM_PATH); `make test-fast` runs without it."
            )
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        problems.append(f"Static files are not collected in {settings.STATIC_ROOT}: run `make static`.")
    return problems
