"""Working days by arithmetic agree with counting day by day, across years and holidays."""

import datetime as dt
import random

from simpatik.core import workdays


def _walk_between(start, end):
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        count += workdays.is_working_day(current)
    return sign * count


def _walk_add(start, days):
    current, remaining = start, max(days, 0)
    while remaining:
        current += dt.timedelta(days=1)
        remaining -= workdays.is_working_day(current)
    while days <= 0 and not workdays.is_working_day(current):
        current += dt.timedelta(days=1)
    return current


def test_arithmetic_matches_walking_the_calendar():
    rng = random.Random(20261128)
    for _ in range(1500):
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
        end = start + dt.timedelta(days=rng.randint(-400, 400))
        days = rng.randint(-2, 300)
        assert workdays.working_days_between(start, end) == _walk_between(start, end)
        assert workdays.add_working_days(start, days) == _walk_add(start, days)


def test_cuti_bersama_and_new_year_are_not_working_days():
    # 1 January is a holiday; March 2026 has Nyepi, Idul Fitri and cuti bersama around them.
    assert workdays.working_days_between(dt.date(2025, 12, 31), dt.date(2026, 1, 2)) == 1
    assert workdays.add_working_days(dt.date(2025, 12, 31), 1) == dt.date(2026, 1, 2)
    march = workdays.working_days_between(dt.date(2026, 2, 28), dt.date(2026, 3, 31))
    assert march == 17  # 21 without the cuti bersama days (shared/RECIPES.md)
