"""Settings for the test suite: the project's settings, pointed at the local services.

Only defaults are set here (the environment still wins), so `DATABASE_URL=... make test` works.
Each test run gets its own Celery queue and control exchange, so a worker of another run or of a
local `make run` on the same Redis never takes this run's tasks or answers its pings.
"""

import hashlib
import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
_run = os.environ.setdefault("PORTAL_TEST_RUN_ID", str(os.getpid()))
# Each xdist worker (gw0, gw1, …) is a run of its own: pytest-django gives it its own test database,
# so it also needs its own Celery queue, or one worker's tasks would land in another's database.
# The workers inherit the controller's environment, hence the explicit override (once).
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _xdist_worker and not _run.endswith(f"-{_xdist_worker}"):
    _run = os.environ["PORTAL_TEST_RUN_ID"] = f"{_run}-{_xdist_worker}"
    os.environ["CELERY_QUEUE"] = os.environ["CELERY_CONTROL_EXCHANGE"] = f"portal-test-{_run}"
os.environ.setdefault("CELERY_QUEUE", f"portal-test-{_run}")
os.environ.setdefault("CELERY_CONTROL_EXCHANGE", f"portal-test-{_run}")
os.environ.setdefault("HEALTH_WORKER_PING_TIMEOUT", "1.0")
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that thread
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests import clock  # noqa: E402

clock.start()  # the run's controlled "now" (PORTAL_TEST_NOW), in this process and in the worker and beat it starts

from portal.settings import *  # noqa: E402,F403
from portal.settings import BASE_DIR, DATABASES  # noqa: E402

# One test database per checkout, so two clones (a CI run beside a developer's run) never drop
# each other's database, while --reuse-db still finds its own.
# (SQLite tests run in memory, one database per process already.)
_checkout = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:8]  # noqa: S324 - a name, not security
# A dated run (PORTAL_TEST_NOW) has databases of its own, so `make test` can run the dated tests
# beside the main run. (A SQLite run of the suite keeps Django's own test name.)
_dated = "_dated" if os.environ.get(clock.ENV_NOW) or os.environ.get(clock.ENV_OFFSET) else ""
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_{DATABASES['default']['NAME']}_{_checkout}{_dated}"
    # Transactional tests end with a flush, one TRUNCATE of every table; the history tables refuse
    # TRUNCATE unless the session says so (applications/audit_guard.py). Only the tests do.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c portal.allow_truncate=on".strip()

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
# Serve the collected, hashed files exactly as production does (not from the finders).
WHITENOISE_AUTOREFRESH = False
WHITENOISE_USE_FINDERS = False

# Test-only effect kinds for the scheduler's fault drills; the live worker (same settings) has them too.
SCHEDULING_EXTRA_HANDLER_MODULES = ["tests.scheduling.drill_kinds"]

# The backend `make run` uses, in memory, for the tests that run the same code on both
# (tests/databases.py); created only when a test asks for it.
DATABASES["sqlite"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
DATABASE_ROUTERS = ["tests.databases.PinnedDatabaseRouter"]
