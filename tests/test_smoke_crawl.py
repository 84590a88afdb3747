"""The smoke crawl: `make run` as a newcomer meets it, for every demo role (issue 13).

The stack is started as `make run` starts it (tests.crawl.LocalStack: prepare_local, then the
Procfile's web server, Celery worker and beat, with none of this test run's settings) in a
VAR_DIR of its own. Anonymous and each demo user then start from the home page and follow every
internal link and GET form, up to PAGES_PER_ROLE pages each; any 5xx answer, traceback on a page
or error in the processes' logs fails the test, which lists them all. Once on SQLite with the
embedded filesystem broker (exactly `make run`), once on a fresh PostgreSQL database.
"""

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import psycopg2
import pytest
import requests
from django.conf import settings

from portal.management.commands.load_demo_data import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS
from tests.crawl import CrawlResult, LocalStack, crawl, login
from tests.services import FAST
from tests.worker import database_url_for

pytestmark = [
    pytest.mark.crawl,
    pytest.mark.skipif(FAST, reason="PORTAL_TEST_FAST=1: the local stack is not started"),
]

PAGES_PER_ROLE = 60  # breadth-first by kind of page: every kind a role reaches comes before a second of one
ANONYMOUS = "anonymous"
# Not crawled, to keep the suite's time: the demo's second officer at Forskningsrådet sees what
# Sara sees, and Tromsø's ansvarlig what Bodø's does (a funded project with its reports; Bodø's
# has an overdue one, so Berit is crawled).
SAME_AS_ANOTHER = {"tone.saksbehandler@demo.innovasjonsportalen.no", "tor.ansvarlig@demo.innovasjonsportalen.no"}
ROLES = [ANONYMOUS, *(email for email, *_rest in DEMO_USERS if email not in SAME_AS_ANOTHER)]
# Staff also get the admin, which `make run` announces (/admin/) but the portal's pages do not
# link to: a crawl of its own, so the admin's many pages do not take the portal's share.
ADMIN_ROLES = [email for email, _name, is_staff, *_rest in DEMO_USERS if is_staff]
# The people who handle applications, whose queue answered 500 on SQLite (score::numeric).
QUEUE_USERS = [
    "admin@demo.innovasjonsportalen.no",
    "sara.saksbehandler@demo.innovasjonsportalen.no",
    "ivar.saksbehandler@demo.innovasjonsportalen.no",
    "dag.administrator@demo.innovasjonsportalen.no",
]


def crawl_as(stack: LocalStack, who: str) -> list[CrawlResult]:
    """The portal from its home page, and for staff the admin from /admin/, as ``who``."""
    session = requests.Session()
    if who != ANONYMOUS:
        try:
            login(session, stack.base_url, email=who, password=DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
        except (AssertionError, requests.RequestException) as error:
            return [CrawlResult(who=who, failures=[f"{who}: login failed: {error}"])]
    results = [crawl(session, stack.base_url, who=who, limit=PAGES_PER_ROLE)]
    if who in ADMIN_ROLES:
        admin = crawl(
            session, stack.base_url, who=f"{who} (admin)", start="/admin/", within="/admin/", limit=PAGES_PER_ROLE
        )
        results.append(admin)
    return results


def crawl_every_role(stack: LocalStack) -> dict[str, CrawlResult]:
    """Every role, three at a time (the threaded web server serves them side by side)."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        return {
            result.who: result for results in pool.map(lambda who: crawl_as(stack, who), ROLES) for result in results
        }


def assert_no_server_errors(stack: LocalStack, results: dict[str, CrawlResult]) -> None:
    failures = [failure for result in results.values() for failure in result.failures]
    failures += [f"log: {error}" for error in stack.log_errors()]
    summary = ", ".join(f"{who} {len(r.visited)} pages in {r.seconds:.0f} s" for who, r in results.items())
    assert not failures, f"{len(failures)} server errors ({summary}; logs in {stack.var_dir}):\n" + "\n".join(failures)
    # The crawl really went somewhere: every role saw a good part of the portal (staff the admin
    # too), and the people who handle applications reached their queue.
    for who, result in results.items():
        assert len(result.visited) >= 30, f"{who} reached only {result.visited}"
    for who in QUEUE_USERS:
        statuses = {urlsplit(url).path: status for url, status in results[who].visited}
        assert statuses.get("/saksbehandling/") == 200, f"{who} never reached the queue: {sorted(statuses)}"


def test_every_role_reaches_every_linked_page_on_sqlite_as_make_run_starts_it(tmp_path):
    with LocalStack(var_dir=tmp_path / "var") as stack:
        assert "Demo logins" in stack.prepare()
        stack.start()
        results = crawl_every_role(stack)
        assert_no_server_errors(stack, results)
    # make run's SQLite database and broker queues, in the crawl's own folder rather than var/
    assert (tmp_path / "var" / "db.sqlite3").stat().st_size > 0
    assert (tmp_path / "var" / "celery" / "queue").is_dir()


@pytest.fixture
def fresh_postgresql_database():
    """An empty database on the suite's PostgreSQL server, dropped afterwards."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the suite does not run on PostgreSQL")
    name = f"{db.get('TEST', {}).get('NAME') or 'test_' + db['NAME']}_crawl"
    maintenance = database_url_for({**db, "NAME": "postgres"})

    def run(statement: str) -> None:
        connection = psycopg2.connect(maintenance)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    yield database_url_for({**db, "NAME": name})
    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_every_role_reaches_every_linked_page_on_postgresql(tmp_path, fresh_postgresql_database):
    with LocalStack(var_dir=tmp_path / "var", database_url=fresh_postgresql_database) as stack:
        assert "Demo logins" in stack.prepare()
        stack.start()
        results = crawl_every_role(stack)
        assert_no_server_errors(stack, results)
    assert not (tmp_path / "var" / "db.sqlite3").exists()  # the database was PostgreSQL's
