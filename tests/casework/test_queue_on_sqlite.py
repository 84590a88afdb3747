"""The queue's hand-written SQL on SQLite, the database of `make run` (issue 13).

The smoke crawl shows the queue opens on SQLite, but the demo data has no scores and fewer than a
page of applications. Here test_queue.py's tests (weighted scores with consensus first, the score
range, keyset pages over rows sharing a moment) run once more, in a pytest of their own on SQLite.
On SQLite they once failed three ways: ``score::numeric`` does not parse, a whole-number division
dropped the fraction and a Decimal bound compared as text, and an aware cursor («…+00:00») compared
as text made every next page repeat its first row, so paging never ended.
"""

import os
import subprocess
import sys

import pytest

from tests.processes import ROOT
from tests.services import FAST

pytestmark = pytest.mark.skipif(FAST, reason="PORTAL_TEST_FAST=1: no second test run")


def test_the_queue_tests_pass_on_sqlite(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "PORTAL_TEST_FAST": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         "tests/casework/test_queue.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
