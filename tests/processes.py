"""Running the project's own code in a subprocess, with a controlled environment."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_FILE = ROOT / "portal" / "settings.py"


def settings_env_names() -> set[str]:
    """Every environment variable portal/settings.py reads through ``env``."""
    source = SETTINGS_FILE.read_text()
    names = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', source)) | set(re.findall(r'env\("([A-Z_]+)"', source))
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= names, "the regex no longer finds the settings"
    return names


def run_with_settings(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run ``python *args`` with portal.settings and only ``env_overrides`` of the settings' variables
    set: whatever this test run put in the environment (test database, queue names) is left out."""
    names = settings_env_names()
    env = {k: v for k, v in os.environ.items() if k not in names and not k.startswith(("CELERY_", "DJANGO_"))}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="portal.settings")
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_process_env(*, database_url: str) -> dict[str, str]:
    """The environment for a worker or beat started by the tests: this run's settings and test database."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database_url}


test_process_env.__test__ = False  # a helper, not a test
