"""`make test` without a service fails at once with one clear line, instead of skipping."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def run_pytest_with(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_overrides}
    env.pop("PORTAL_TEST_FAST", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_http.py", "-q", "-p", "no:cacheprovider"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:1/portal"}, "PostgreSQL is not reachable at 127.0.0.1:1"),
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "Redis is not reachable at 127.0.0.1:1"),
        ({"CHROMIUM_PATH": "/nonexistent/chromium"}, "Chromium is not installed at /nonexistent/chromium"),
    ],
)
def test_a_missing_service_stops_the_run_with_one_clear_line(env, expected):
    result = run_pytest_with(env)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    lines = [line for line in (result.stdout + result.stderr).splitlines() if expected in line]
    assert len(lines) == 1, result.stdout + result.stderr
    assert "passed" not in result.stdout
