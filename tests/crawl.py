"""The smoke crawl: the local stack as `make run` starts it, and a crawler that follows every
internal link and GET form as one person, reporting each server error.

``LocalStack`` runs ``manage.py prepare_local`` and then the Procfile's processes (web server,
Celery worker and beat) with portal.settings and nothing of this test run's environment, in a
VAR_DIR of its own, so var/ is never touched. ``crawl`` starts from the home page and visits up
to ``limit`` pages breadth-first (each kind of page, its path without ids, before more pages of a
kind already seen), submitting GET forms with their default values.
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from base64 import b32decode
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import requests
from django_otp.oath import TOTP

from tests.processes import ROOT, settings_env_names

TRACEBACK = "Traceback (most recent call last)"
# Never followed: leaving the session (a POST form anyway), and files served by whitenoise.
SKIPPED_PATH_PREFIXES = ("/logg-ut/", "/admin/logout/", "/static/")
TIMEOUT = 30
# While the stack starts, /healthz answers 503 until the worker answers its ping (Django logs it as
# an error): expected then, an error after.
STARTUP_HEALTHZ = "Service Unavailable: /healthz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_commands() -> dict[str, str]:
    """The Procfile's processes, name → shell command, exactly as honcho runs them for `make run`."""
    commands = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            commands[name.strip()] = command.strip()
    return commands


class LocalStack:
    """`make run` in a folder of its own: prepare_local, then web, worker and beat from the
    Procfile. Without ``database_url`` it is SQLite and the filesystem broker under ``var_dir``."""

    def __init__(self, *, var_dir: Path, database_url: str | None = None):
        self.var_dir = var_dir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.started_at: dict[str, int] = {}  # each log's length when /healthz first answered 200
        # As run_with_settings: none of the variables the settings read leaks in from this test
        # run (its test database, Redis, queue names); only what `make run` would see.
        names = settings_env_names()
        env = {k: v for k, v in os.environ.items() if k not in names and not k.startswith(("CELERY_", "DJANGO_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings",
            VAR_DIR=str(var_dir),
            WEB_HOST="127.0.0.1",
            WEB_PORT=str(self.port),
            PYTHONUNBUFFERED="1",
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        self.env = env

    def log_path(self, name: str) -> Path:
        return self.var_dir / f"{name}.log"

    def prepare(self) -> str:
        """`manage.py prepare_local` (migrate, beat's tasks, demo data), as `make run` does first."""
        self.var_dir.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [sys.executable, "manage.py", "prepare_local"],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        output = result.stdout + result.stderr
        self.log_path("prepare_local").write_text(output)
        assert result.returncode == 0, f"prepare_local failed:\n{output[-4000:]}"
        return output

    def start(self, *, names=("web", "worker", "beat")) -> None:
        for name, command in procfile_commands().items():
            if name not in names:
                continue
            log = self.log_path(name).open("ab")
            self.processes[name] = subprocess.Popen(  # noqa: S602 - the Procfile's line, run by a shell as honcho does
                command,
                shell=True,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            log.close()
        self.wait_until_healthy()

    def wait_until_healthy(self, *, timeout: float = 60) -> None:
        """Until /healthz answers 200 (database, broker and a live worker); fails with its last answer."""
        deadline, last = time.monotonic() + timeout, "no answer"
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise AssertionError(f"{name} stopped at start-up:\n{self.log(name)[-4000:]}")
            try:
                response = requests.get(f"{self.base_url}/healthz", timeout=5)
                if response.status_code == 200:
                    # Until now /healthz's 503 (the worker not yet answering its ping) was expected.
                    self.started_at = {name: len(self.log(name)) for name in self.processes}
                    return
                last = f"{response.status_code} {response.text[:500]}"
            except requests.RequestException as error:
                last = str(error)
            time.sleep(0.5)
        raise AssertionError(f"/healthz never answered 200: {last}")

    def stop(self) -> None:
        """Ctrl-C, as a terminal sends it to every process of the foreground group (the shell, the
        program, the worker's pool, runserver's reloaded server); killed when that is not enough."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            with contextlib.suppress(ProcessLookupError):  # unless the whole group has ended
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def log(self, name: str) -> str:
        path = self.log_path(name)
        return path.read_text(errors="replace") if path.exists() else ""

    def log_errors(self) -> list[str]:
        """What the processes logged as an error: each exception of a traceback, each logged
        server error and each ERROR line, once per process and text."""
        errors = {}
        for name in ("prepare_local", *self.processes):
            in_traceback = False
            text = self.log(name)
            start = self.started_at.get(name, 0)
            starting = [line for line in text[:start].splitlines() if STARTUP_HEALTHZ not in line]
            for line in [*starting, *text[start:].splitlines()]:
                if line.startswith(TRACEBACK):
                    in_traceback = True
                elif in_traceback and line and not line[0].isspace():
                    errors.setdefault(f"{name}: {line.strip()}")  # the exception that ended the traceback
                    in_traceback = False
                elif any(level in line for level in (" ERROR ", "ERROR/", " CRITICAL ", "CRITICAL/")):
                    errors.setdefault(f"{name}: {line.strip()}")
        return list(errors)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# --- Logging in -------------------------------------------------------------------------------
def totp_now(secret_base32: str) -> str:
    """The code an authenticator app with this secret shows now (django-otp's TOTP defaults)."""
    return f"{TOTP(b32decode(secret_base32)).token():06d}"


def login(session: requests.Session, base_url: str, *, email: str, password: str, totp_secret: str) -> None:
    """Log in through the pages, as a person does: the password form, then the code step when asked."""
    page = session.get(f"{base_url}/logg-inn/", timeout=TIMEOUT)
    form = _form_with_field(page, "password")
    response = session.post(
        page.url, data={**form.defaults(), "username": email, "password": password},
        headers={"Referer": page.url}, timeout=TIMEOUT,
    )  # fmt: skip
    if urlsplit(response.url).path.startswith("/logg-inn/tofaktor/"):
        form = _form_with_field(response, "code")
        response = session.post(
            urljoin(response.url, form.action) if form.action else response.url,
            data={**form.defaults(), "code": totp_now(totp_secret)},
            headers={"Referer": response.url}, timeout=TIMEOUT,
        )  # fmt: skip
    path = urlsplit(response.url).path
    assert response.status_code == 200 and not path.startswith("/logg-inn/"), (
        f"{email} could not log in: {response.status_code} at {response.url}"
    )


def _form_with_field(response, name: str) -> "Form":
    page = PageParser.parse(response.text)
    for form in page.forms:
        if any(field_name == name for field_name, _value in form.fields):
            return form
    raise AssertionError(f"no form with a field {name!r} at {response.url} ({response.status_code})")


# --- Parsing ------------------------------------------------------------------------------------
@dataclass
class Form:
    method: str
    action: str | None
    fields: list[tuple[str, str]] = field(default_factory=list)  # what the browser submits untouched

    def defaults(self) -> dict[str, str]:
        return dict(self.fields)


class PageParser(HTMLParser):
    """Links (``a[href]``) and forms with the values a browser submits when nothing is changed:
    text-like inputs' values, checked boxes and radios, each select's selected (else first) option,
    textareas, and the first named submit button."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._submitter = False
        self._select: str | None = None  # the open select's name
        self._multiple = False
        self._options: list[tuple[str, bool]] = []  # its options: (value, selected)
        self._option: tuple[str | None, bool, list[str]] | None = None  # the open option
        self._textarea: tuple[str, list[str]] | None = None

    @classmethod
    def parse(cls, text: str) -> "PageParser":
        parser = cls()
        parser.feed(text)
        parser.close()
        return parser

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form, self._submitter = Form(method=(a.get("method") or "get").lower(), action=a.get("action")), False
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "option" and self._select:
            self._end_option()
            self._option = (a.get("value"), "selected" in a and "disabled" not in a, [])
        elif "disabled" in a:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit" and a.get("name"):
            self._submit(a["name"], a.get("value") or "")
        elif tag == "select" and a.get("name"):
            self._select, self._options, self._multiple = a["name"], [], "multiple" in a
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])

    def _input(self, a):
        name, kind = a.get("name"), (a.get("type") or "text").lower()
        if not name or kind in {"file", "image", "reset", "button"}:
            return
        if kind == "submit":
            self._submit(name, a.get("value") or "")
        elif kind in {"checkbox", "radio"}:
            if "checked" in a:
                self._form.fields.append((name, a.get("value") or "on"))
        else:
            self._form.fields.append((name, a.get("value") or ""))

    def _submit(self, name, value):
        if not self._submitter:
            self._form.fields.append((name, value))
            self._submitter = True

    def _end_option(self):
        if self._option is not None:
            value, selected, text = self._option
            self._options.append((" ".join("".join(text).split()) if value is None else value, selected))
            self._option = None

    def handle_data(self, data):
        if self._option is not None:
            self._option[2].append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "option":
            self._end_option()
        elif tag == "select" and self._select:
            self._end_option()
            chosen = [value for value, selected in self._options if selected]
            if not self._multiple:  # one value: the selected option, else the first
                chosen = (chosen or [value for value, _selected in self._options])[:1]
            self._form.fields += [(self._select, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


# --- Crawling -----------------------------------------------------------------------------------
@dataclass
class CrawlResult:
    who: str
    visited: list[tuple[str, int]] = field(default_factory=list)  # (address, status)
    durations: dict[str, float] = field(default_factory=dict)  # address → seconds the answer took
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


_IDENTIFIER = re.compile(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+")


def page_kind(url: str) -> str:
    """The path with its ids left out: /soknader/1/ and /soknader/2/ are one kind of page, and
    so are all of one kind's query strings."""
    return _IDENTIFIER.sub("#", urlsplit(url).path)


def _internal(url: str, base_url: str, within: str) -> str | None:
    """The address without its fragment when it is a page of this portal under ``within`` worth
    visiting, else None."""
    parts, base = urlsplit(url), urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or parts.netloc != base.netloc:
        return None
    if parts.path.startswith(SKIPPED_PATH_PREFIXES) or not parts.path.startswith(within):
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def crawl(
    session: requests.Session, base_url: str, *, who: str, start: str = "/", within: str = "/", limit: int = 80
) -> CrawlResult:
    """Breadth-first from ``start`` (the home page), up to ``limit`` pages: every internal link and
    GET form under ``within``. A page fails when it answers 5xx or shows a traceback."""
    result, started = CrawlResult(who=who), time.monotonic()
    seen, kinds = set(), set()
    fresh, known = deque(), deque()  # addresses of a new kind of page go first, more of a known kind after

    def add(url: str | None) -> None:
        if url and url not in seen:
            seen.add(url)
            (known if page_kind(url) in kinds else fresh).append(url)

    add(_internal(base_url + start, base_url, within))
    while (fresh or known) and len(result.visited) < limit:
        if fresh:
            url = fresh.popleft()
            if page_kind(url) in kinds:  # its kind was visited since it was queued
                known.append(url)
                continue
        else:
            url = known.popleft()
        kinds.add(page_kind(url))
        try:
            response = session.get(url, timeout=TIMEOUT)
        except requests.RequestException as error:
            result.failures.append(f"{who}: {url} → {error}")
            continue
        result.visited.append((url, response.status_code))
        result.durations[url] = response.elapsed.total_seconds()
        is_html = "html" in response.headers.get("Content-Type", "")
        body = response.text if is_html else ""
        if response.status_code >= 500 or TRACEBACK in body:
            result.failures.append(f"{who}: {url} → {response.status_code} {_error_summary(body)}")
        kinds.update(page_kind(hop.url) for hop in response.history)  # each address a redirect passed
        if not is_html or response.status_code >= 400:
            continue
        page = PageParser.parse(body)
        for href in page.links:
            add(_internal(urljoin(response.url, href.strip()), base_url, within))
        for form in page.forms:
            if form.method == "get":
                action = urljoin(response.url, form.action or response.url)
                parts = urlsplit(action)
                add(_internal(urlunsplit((*parts[:3], urlencode(form.fields), "")), base_url, within))
    result.seconds = time.monotonic() - started
    return result


def _error_summary(body: str) -> str:
    """The exception line of Django's technical 500 page (DEBUG is on locally), if there is one."""
    title = body.split("<title>", 1)[-1].split("</title>", 1)[0] if "<title>" in body else ""
    return " ".join(title.split())[:300]
