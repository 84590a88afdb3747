"""The test run's controlled "now": run the whole suite as if it were another date and time.

Set ``PORTAL_TEST_NOW`` (or pass ``pytest --now``) to a moment such as ``2028-02-29 12:00`` (read as
Europe/Oslo time unless it carries an offset, e.g. ``2027-03-28T01:30+01:00``). The first process
turns it into an offset from the real clock, ``PORTAL_TEST_CLOCK_OFFSET`` (seconds), which every
process started from it inherits — xdist workers, the live Celery worker and beat (they import
``tests.settings``, which calls :func:`start`) — so all of them agree on the time to the second.
The clock keeps ticking from there (``time_machine.travel(..., tick=True)``): timeouts, polling and
the deadline of a call behave as on that day. A test that needs a frozen moment still travels
inside itself with ``time_machine.travel(..., tick=False)``; time-machine nests.

Everything the portal reads goes through ``time.time()``/``datetime.now()`` in Python (no SQL
``now()``), so this covers the database's timestamps too. ``time.monotonic()`` is not moved.
"""

import os
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

ENV_NOW = "PORTAL_TEST_NOW"
ENV_OFFSET = "PORTAL_TEST_CLOCK_OFFSET"
OSLO = ZoneInfo("Europe/Oslo")

_travel = None


def parse_moment(value: str) -> datetime:
    """``2028-02-29``, ``2028-02-29 12:00``, ``2028-02-29T12:59:59`` or with an explicit offset.
    A wall-clock time Oslo skips (02:30 on the last Sunday of March) is read with ``fold=0``, i.e.
    as the moment that would have been 02:30 in winter time (01:30 UTC)."""
    moment = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    return moment if moment.tzinfo else moment.replace(tzinfo=OSLO)


def offset_from_environment() -> float | None:
    """Seconds to add to the real clock, or None when the run uses the real date."""
    if os.environ.get(ENV_OFFSET):
        return float(os.environ[ENV_OFFSET])
    if not os.environ.get(ENV_NOW):
        return None
    offset = parse_moment(os.environ[ENV_NOW]).timestamp() - time.time()
    os.environ[ENV_OFFSET] = repr(offset)
    return offset


def start() -> None:
    """Move this process's clock to the run's "now" (no-op on the real date or when already moved)."""
    global _travel
    offset = offset_from_environment()
    if offset is None or _travel is not None:
        return
    import time_machine  # a dev dependency; only loaded when a run is dated

    _travel = time_machine.travel(time.time() + offset, tick=True)
    _travel.start()


def describe() -> str:
    """One line for the test report's header."""
    if _travel is None:
        return "clock: the real date"
    now = datetime.now(OSLO)
    return f"clock: moved to {now:%Y-%m-%d %H:%M:%S %Z} ({ENV_NOW}={os.environ.get(ENV_NOW, '?')})"


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def _next(today: date, make) -> date:
    """The first of make(today.year), make(today.year + 1), … that is not before today."""
    year = today.year
    while True:
        try:
            day = make(year)
        except ValueError:  # 29 February in a common year
            day = None
        if day is not None and day >= today:
            return day
        year += 1


# The date-sensitive tests: `make test` runs them again (without the browser) at the moments of
# `python -m tests.clock moments` — New Year, 29 February, both DST changes, the stroke of 13:00.
# `python -m tests.clock paths` lists them, so a dated run collects these files, not the whole suite.
DATED = (
    "tests/scheduling/",
    "tests/schemes/test_catalogue.py",
    "tests/schemes/test_check_view.py",
    "tests/schemes/test_feeds.py",
    "tests/schemes/test_seed.py",
    "tests/applications/test_application_services.py",
    "tests/applications/test_drafting_pages.py",
    "tests/applications/test_submission_pages.py",
    "tests/review/test_deadlines.py",
    "tests/review/test_reports.py",
    "tests/review/test_review_services.py",
    "tests/casework/test_bulk_and_panel.py",
    "tests/accounts/test_sessions.py",
    "tests/organisations/test_invitations.py",
    "tests/test_clock.py",
    "tests/test_workdays.py",
)


def moments(today: date | None = None) -> list[str]:
    """The moments `make test` runs the date-sensitive tests at, from the real date onwards (so
    they never slide into the past): a deadline across New Year, a leap day, the night of each DST
    change (01:30 and 02:30 Oslo time — in March 02:30 does not exist, in October it exists twice,
    both are run), and a deadline day a second before and at 13:00."""
    today = today or date.today()  # noqa: DTZ011 - the real date, before any travel
    new_year = _next(today, lambda y: date(y, 12, 20))
    leap_day = _next(today, lambda y: date(y, 2, 29))
    spring = _next(today, lambda y: _last_sunday(y, 3))
    autumn = _next(today, lambda y: _last_sunday(y, 10))
    deadline_day = today + timedelta(days=1)
    while deadline_day.weekday() >= 5:
        deadline_day += timedelta(days=1)
    return [
        f"{new_year} 10:00",
        f"{leap_day} 12:00",
        f"{spring} 01:30",
        f"{spring} 02:30",
        f"{autumn} 01:30",
        f"{autumn}T02:30+02:00",
        f"{autumn}T02:30+01:00",
        f"{deadline_day} 12:59:59",
        f"{deadline_day} 13:00:00",
    ]


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["moments"]:
        print("\n".join(moments()))
    elif sys.argv[1:] == ["paths"]:
        print(" ".join(DATED))
    else:
        sys.exit("usage: python -m tests.clock moments|paths")
