"""Running the project's own code in a subprocess, with a controlled environment."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_FILE = ROOT / "portal" / "settings.py"


def settings_env_names() -> set[str]:
    """Every environment variable portal/settings.py reads through ``env``."""
    source = SETTINGS_FILE.read_text()
    name = r'"([A-Z][A-Z0-9_]*)"'  # digits too: PRIVATE_STORAGE_S3_BUCKET
    names = set(re.findall(r"env\.\w+\(\s*" + name, source)) | set(re.findall(r"env\(" + name, source))
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn as docker-compose.yml starts it (sync workers, ``portal.wsgi``), on a free port of
    127.0.0.1, with only ``env_overrides`` of the settings' variables set (as ``run_with_settings``).
    ``wait_until_ready`` polls the catalogue until it answers, so several can start side by side."""

    def __init__(self, *, env_overrides: dict[str, str], log_path: Path, workers: int,
                 settings_module: str = "portal.settings"):  # fmt: skip
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        names = settings_env_names()
        env = {k: v for k, v in os.environ.items() if k not in names and not k.startswith(("CELERY_", "DJANGO_"))}
        env.update(env_overrides, DJANGO_SETTINGS_MODULE=settings_module)
        self.log_path = log_path
        self.log = log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--no-control-socket", "--access-logfile", str(log_path) + ".access"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def wait_until_ready(self, timeout: float) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/ordninger/", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer in {timeout:.0f} s:\n{self.log_path.read_text()[-3000:]}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the web workers have used so far: the figure the machine's
        load does not change much, unlike the latencies."""
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return float("nan")
        total = 0
        for pid in children:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self.log.close()
