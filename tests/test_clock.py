"""The controlled clock (tests/clock.py): every process of a dated run agrees on the moved time."""

import os
import subprocess
import sys
import time
from datetime import date, datetime

import pytest

from tests import clock


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2028-02-29", "2028-02-29T00:00:00+01:00"),
        ("2026-12-20 12:59:59", "2026-12-20T12:59:59+01:00"),
        ("2027-07-01T13:00", "2027-07-01T13:00:00+02:00"),
        # 02:30 does not exist on 28 March 2027 in Oslo: read with the winter offset (01:30 UTC).
        ("2027-03-28 02:30", "2027-03-28T02:30:00+01:00"),
        # 02:30 happens twice on 31 October 2027: the first (summer time) unless the offset says so.
        ("2027-10-31 02:30", "2027-10-31T02:30:00+02:00"),
        ("2027-10-31T02:30+01:00", "2027-10-31T02:30:00+01:00"),
    ],
)
def test_moments_are_read_as_oslo_time(value, expected):
    # Compared as moments: PEP 495 makes == between zones False for a time in a gap or a fold.
    assert clock.parse_moment(value).timestamp() == datetime.fromisoformat(expected).timestamp()


def test_a_started_process_reads_the_same_clock_as_the_run():
    """The worker and beat import tests.settings; so does this child, which must tell the same time."""
    code = "import time, django; django.setup(); print(time.time())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    child = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    assert abs(float(child.stdout.strip().splitlines()[-1]) - time.time()) < 30


def test_the_run_is_at_the_moment_asked_for():
    if not os.environ.get(clock.ENV_NOW):
        pytest.skip("a run on the real date")
    asked = clock.parse_moment(os.environ[clock.ENV_NOW]).timestamp()
    # The clock ticks from the start of the run; a dated run is a few minutes long at most.
    assert 0 <= time.time() - asked < 60 * 60


def test_the_dated_runs_are_at_the_moments_the_issue_names_and_never_in_the_past():
    assert clock.moments(date(2027, 3, 29)) == [
        "2027-12-20 10:00",
        "2028-02-29 12:00",
        "2028-03-26 01:30",
        "2028-03-26 02:30",
        "2027-10-31 01:30",
        "2027-10-31T02:30+02:00",
        "2027-10-31T02:30+01:00",
        "2027-03-30 12:59:59",
        "2027-03-30 13:00:00",
    ]
    # A Friday: the deadline day is the next working day.
    assert clock.moments(date(2026, 12, 4))[-1] == "2026-12-07 13:00:00"
