"""The shared test harness: service checks, a live Celery worker, a live server and Chromium.

Fixtures:
- ``celery_worker``: a real worker subprocess on Redis, writing to the test database.
- ``site_url``: the app on a real port, serving collected static files through whitenoise.
- ``browser`` / ``page`` / ``page_nojs``: headless Chromium through Playwright; ``page`` fails the
  test on any console error, CSP violation or HTTP error response (mark a test
  ``allow_console_errors`` when it expects one).
- ``django_assert_max_num_queries`` (pytest-django) pins query counts.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

import tests.databases  # noqa: F401 - its migration signals must be connected before the test databases are made
from tests import clock, template_db
from tests.services import CHROMIUM_PATH, FAST, missing_services
from tests.worker import WorkerProcess, database_url_for

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]  # fmt: skip


def pytest_addoption(parser):
    parser.addoption(
        "--now",
        metavar="MOMENT",
        help="Run as if it were MOMENT (Europe/Oslo unless it has an offset), e.g. '2028-02-29 12:00'; "
        f"the same as {clock.ENV_NOW}=MOMENT. The clock ticks on from there in every process of the run.",
    )


def pytest_configure(config):
    if config.getoption("--now"):
        os.environ[clock.ENV_NOW] = config.getoption("--now")
    clock.start()  # tests.settings already did when the environment said so


# Pinned query counts are about the number of rows, not the date: the dated runs leave them out.
QUERY_COUNT_FIXTURES = {"django_assert_num_queries", "django_assert_max_num_queries"}


def pytest_collection_modifyitems(config, items):
    root = Path(config.rootpath)
    for item in items:
        if Path(item.path).relative_to(root).as_posix().startswith(clock.DATED) and not (
            QUERY_COUNT_FIXTURES & set(getattr(item, "fixturenames", ()))
        ):
            item.add_marker(pytest.mark.dated)


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings, django_db_blocker):
    """pytest-django's --reuse-db, and True as well when the database was just cloned from this
    `make test`'s template (tests/template_db.py)."""
    if request.config.getvalue("reuse_db"):
        return True
    with django_db_blocker.unblock():
        return template_db.clone_from_template()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        template_db.save_as_template()  # when this process built its database for the others to clone


def pytest_report_header(config):
    return clock.describe()


def pytest_sessionstart(session):
    problems = missing_services()
    if problems:
        # A usage error ends the run before any test, printing each problem as one line.
        raise pytest.UsageError("\n".join(problems))


@pytest.fixture(autouse=True)
def _throttles_start_empty():
    """The throttles count in the cache; in tests that is this process's local memory, emptied
    before each test so one test's failed logins never throttle the next."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """The registry's counties and municipalities, the SDGs and the themes come from data migrations.
    A transactional test flushes every table when it ends, and pytest-django runs those tests last,
    so each one after the first would find the registry empty: put it back first (a no-op when it
    is there)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from organisations.models import Municipality
    from schemes.models import SustainableDevelopmentGoal, Theme

    if not Municipality.objects.exists():
        from organisations.services import municipalities_load

        municipalities_load()
    if not SustainableDevelopmentGoal.objects.exists() or not Theme.objects.exists():
        from schemes.reference import reference_data_load

        reference_data_load(goal_model=SustainableDevelopmentGoal, theme_model=Theme)


@pytest.fixture
def eager(django_capture_on_commit_callbacks):
    """Tasks run inline when sent (unit tests of the engine; the live worker has its own tests).
    Returns a context manager that runs what was sent after commit at the end of its block."""
    from portal.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


@pytest.fixture(autouse=True)
def _bokmaal_between_tests():
    """Requests through the test client activate the person's language in this thread and leave
    it active; every test starts in bokmål, as the portal does."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def private_storage(settings, tmp_path):
    """Attachments written to a temporary folder. The live server runs in a thread of this
    process, so browser tests see the same setting."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }


# --- Celery worker ------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def _worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    if FAST:
        pytest.skip("PORTAL_TEST_FAST=1: the live Celery worker is not started")
    from django.db import connection

    worker = WorkerProcess(
        database_url=database_url_for(connection.settings_dict),
        log_path=tmp_path_factory.mktemp("celery") / "worker.log",
    )
    worker.start()
    yield worker
    worker.stop()
    _purge_test_queue()


def _purge_test_queue():
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


@pytest.fixture
def celery_worker(_worker_process, transactional_db):
    """The live worker, (re)started if an earlier test stopped it. Data must be committed."""
    if not _worker_process.running:
        _worker_process.start()
    return _worker_process


# --- Live server --------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def _live_server_url(django_db_setup, django_db_blocker):
    from django.test.testcases import LiveServerThread

    # No static handler: whitenoise serves the collected files, exactly as in production.
    thread = LiveServerThread("127.0.0.1", static_handler=lambda handler: handler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def site_url(_live_server_url, transactional_db):
    """The base URL of the running app (named so as not to clash with pytest-django's live_server)."""
    return _live_server_url


# --- Browser ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    if FAST:
        pytest.skip("PORTAL_TEST_FAST=1: Chromium is not started")
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do (page.set_default_timeout below): with the dated runs
    # beside the main run the machine is loaded, and an HTMX swap took longer than expect's 5 s.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser, *, javascript: bool, request):
    context = browser.new_context(java_script_enabled=javascript, locale="nb-NO", timezone_id="Europe/Oslo")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.javascript_enabled = javascript  # axe needs JavaScript; see assert_accessible
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"HTTP {r.status} for {r.url}") if r.status >= 400 else None)
    yield page
    context.close()
    if errors and not request.node.get_closest_marker("allow_console_errors"):
        pytest.fail("The browser reported errors (CSP violations included):\n" + "\n".join(errors))


@pytest.fixture
def page(browser, site_url, request):
    yield from _page(browser, javascript=True, request=request)


@pytest.fixture
def page_nojs(browser, site_url, request):
    yield from _page(browser, javascript=False, request=request)


@pytest.fixture
def base_dir() -> Path:
    return Path(settings.BASE_DIR)
