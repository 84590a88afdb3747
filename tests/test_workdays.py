"""Norwegian working days (portal/workdays.py) around Easter, 17 May, Ascension, Christmas and New Year."""

from datetime import date

import pytest

from portal.workdays import add_working_days, is_working_day


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2027, 3, 24), True),  # Wednesday of Holy Week: an ordinary day
        (date(2027, 3, 25), False),  # skjærtorsdag
        (date(2027, 3, 26), False),  # langfredag
        (date(2027, 3, 27), False),  # Saturday (never a holiday in the library, a day off all the same)
        (date(2027, 3, 28), False),  # første påskedag, a Sunday
        (date(2027, 3, 29), False),  # andre påskedag
        (date(2027, 5, 17), False),  # grunnlovsdag (and andre pinsedag in 2027)
        (date(2026, 5, 14), False),  # Kristi himmelfartsdag 2026
        (date(2026, 12, 24), True),  # julaften is a working day by law
        (date(2026, 12, 25), False),
        (date(2026, 12, 31), True),  # nyttårsaften too
        (date(2027, 1, 1), False),
        (date(2027, 1, 3), False),  # an ordinary Sunday
        (date(2027, 1, 4), True),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2027, 3, 24), 1, date(2027, 3, 30)),  # across the whole Easter
        (date(2027, 3, 22), 5, date(2027, 4, 1)),  # Mon + 5: Tue, Wed, Tue 30, Wed 31, Thu 1 April
        (date(2027, 3, 30), -1, date(2027, 3, 24)),  # backwards across Easter
        (date(2027, 5, 14), 1, date(2027, 5, 18)),  # Friday before 17 May (a Monday in 2027)
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # across Ascension 2026
        (date(2026, 5, 15), 1, date(2026, 5, 18)),  # 17 May 2026 is a Sunday: nothing extra
        (date(2026, 12, 23), 1, date(2026, 12, 24)),
        (date(2026, 12, 24), 1, date(2026, 12, 28)),  # 25 Dec Friday, then the weekend
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # across the new year (1 Jan a Friday)
        (date(2026, 12, 20), 10, date(2027, 1, 5)),  # 21–24, 28–31 Dec, 4 and 5 Jan
        (date(2027, 3, 27), 0, date(2027, 3, 27)),  # zero: the day itself, even a Saturday
        (date(2027, 3, 27), 1, date(2027, 3, 30)),  # from a Saturday in Easter
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected
