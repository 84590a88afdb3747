"""The eligibility check's server time (`make bench` prints it): the whole view through the test
client, for the eight starting schemes (the issue's budget: under 50 ms) and for 200 schemes."""

import statistics
import time
from itertools import cycle, islice
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schemes.eligibility.presets import PRESETS
from tests.factories import CallFactory, SchemeFactory
from tests.schemes.check_helpers import preset_schemes, set_rules

pytestmark = pytest.mark.django_db

ANSWERS = {
    "virksomhet": "kommune", "offentlig_andel": "100", "egenfinansiering": "50", "belop": "1 250 000",
    "varighet": "24", "offentlige_partnere": "1", "forskningspartner": "ja", "bedriftspartner": "",
    "kandidat_fast_ansatt": "", "kandidat_doktorgrad": "", "soknader_i_aar": "0",
    "erklaeringer": "forankret-i-toppledelsen",
}  # fmt: skip
URL = "/sjekk/?" + urlencode(ANSWERS)
BUDGET_MS = 50  # the issue: «stays under 50 ms of server time» for the starting schemes
ROUNDS = 40
# A generous ceiling for 200 schemes on a shared machine: it catches an N+1 or an order-of-magnitude
# regression, not noise.
CEILING_200_MS = 1500


def _median_ms(client, rounds: int = ROUNDS) -> tuple[float, float, int, int]:
    for _ in range(3):  # warm up: templates compiled, translations loaded, connection open
        client.get(URL)
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(URL)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    schemes = response.content.decode().count("data-verdict=")
    return statistics.median(timings), max(timings), len(queries), schemes


def test_the_eight_starting_schemes_under_fifty_milliseconds(client):
    preset_schemes(archive_startoff=False)
    median, worst, queries, schemes = _median_ms(client)
    print(
        f"\neligibility check, {schemes} schemes: median {median:.1f} ms, slowest {worst:.1f} ms "
        f"of {ROUNDS} requests, {queries} queries (budget {BUDGET_MS} ms)"
    )
    assert schemes == 8
    assert median < BUDGET_MS


def test_two_hundred_schemes(client):
    presets = list(islice(cycle(PRESETS.items()), 200))
    for number, (slug, rules) in enumerate(presets):
        scheme = SchemeFactory(slug=f"{slug}-{number}", name=f"{slug} {number}")
        set_rules(scheme=scheme, rules=rules)
        call = CallFactory(scheme=scheme)
        if number % 3 == 0:
            set_rules(call=call, rules=[{"type": "requested-amount", "params": {"maximum": "2000000"}}])
    median, worst, queries, schemes = _median_ms(client, rounds=10)
    print(
        f"\neligibility check, {schemes} schemes: median {median:.1f} ms, slowest {worst:.1f} ms "
        f"of 10 requests, {queries} queries"
    )
    assert schemes == 200
    assert median < CEILING_200_MS
