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
os.environ.setdefault("CELERY_QUEUE", f"portal-test-{_run}")
os.environ.setdefault("CELERY_CONTROL_EXCHANGE", f"portal-test-{_run}")
os.environ.setdefault("HEALTH_WORKER_PING_TIMEOUT", "1.0")
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that thread
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from portal.settings import *  # noqa: E402,F403
from portal.settings import BASE_DIR, DATABASES  # noqa: E402

# One test database per checkout, so two clones (a CI run beside a developer's run) never drop
# each other's database, while --reuse-db still finds its own.
# (SQLite tests run in memory, one database per process already.)
_checkout = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:8]  # noqa: S324 - a name, not security
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_{DATABASES['default']['NAME']}_{_checkout}"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
# Serve the collected, hashed files exactly as production does (not from the finders).
WHITENOISE_AUTOREFRESH = False
WHITENOISE_USE_FINDERS = False

# Test-only effect kinds for the scheduler's fault drills; the live worker (same settings) has them too.
SCHEDULING_EXTRA_HANDLER_MODULES = ["tests.scheduling.drill_kinds"]
