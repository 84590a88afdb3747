"""A real Celery worker in a subprocess, consuming this test run's queue on Redis and writing to
the test database. Tests that use it must commit their data (``transaction=True``)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

from portal.celery import app as celery_app
from tests.processes import test_process_env

BASE_DIR = Path(settings.BASE_DIR)


def database_url_for(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def _autogroup_nice(pid: int, nice: int) -> None:
    """Give the session of ``pid`` the priority ``nice`` against other sessions too.

    With the kernel's autogroup scheduling (``/proc/sys/kernel/sched_autogroup_enabled``, on by
    default on desktop and many server kernels), every session is a group that gets a fair share of
    the CPU, and a process's own nice value only ranks it inside its session. The worker has a
    session of its own (``start_new_session``), so ``nice -n 10`` alone did nothing against
    gunicorn's session: in a deadline-rush burst the worker rendering receipts took 4.0 of the 13
    CPU-seconds, gunicorn's three workers together 5.9. The group's nice is the same knob as a
    container's CPU weight (docker-compose.yml's ``cpu_shares``). Without autogroups the file does
    not exist and the process's nice value is all there is."""
    path = Path(f"/proc/{pid}/autogroup")
    if path.exists():
        with contextlib.suppress(OSError):  # not allowed here: the process's nice value still applies
            path.write_text(str(nice))


class WorkerProcess:
    def __init__(self, *, database_url: str, log_path: Path, name: str = "worker"):
        self.database_url = database_url
        self.log_path = log_path
        self.hostname = f"{name}-{os.environ['PORTAL_TEST_RUN_ID']}@localhost"
        self.process: subprocess.Popen | None = None
        self.nice = 0  # > 0: the worker yields the CPU to other processes (the rush benchmark)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, *, timeout: float = 45.0) -> None:
        env = test_process_env(database_url=self.database_url)
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            (["nice", "-n", str(self.nice)] if self.nice else []) + [
                sys.executable, "-m", "celery", "-A", "portal", "worker",
                "--loglevel=INFO", "--concurrency=1", "--pool=prefork",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--queues", settings.CELERY_TASK_DEFAULT_QUEUE, "--hostname", self.hostname,
            ],
            cwd=BASE_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so kill() takes the pool children too
        )  # fmt: skip
        if self.nice:
            _autogroup_nice(self.process.pid, self.nice)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"The Celery worker exited at start-up; see {self.log_path}:\n{self.log_tail()}")
            if celery_app.control.ping(destination=[self.hostname], timeout=0.5):
                return
        self.stop()
        raise RuntimeError(f"The Celery worker did not answer a ping in {timeout:.0f}s:\n{self.log_tail()}")

    def stop(self, *, sig: int = signal.SIGTERM, timeout: float = 30.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self._log.close()

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children), as a crash would."""
        if self.running:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.stop(timeout=5)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
