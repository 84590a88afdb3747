"""Norwegian working days, for due dates set in working days (a review due in 10 working days).

A working day is Monday to Friday and not a public holiday in Norway (``holidays.Norway``: the
Easter days, Ascension, Whit Monday, 1 and 17 May, Christmas and New Year's Day). Weekends are
judged here by weekday, never by the library: whether its Norway calendar counts Sundays as
holidays has depended on its version and options (``include_sundays``), and Saturdays never were.
Christmas Eve and New Year's Eve are ordinary working days by law, as are the days of Holy Week
before Maundy Thursday.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Norway(years=year, include_sundays=False))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (before it, for negative ``n``); ``day`` itself does not
    count, whether or not it is a working day. ``n == 0`` gives ``day`` back unchanged."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day
