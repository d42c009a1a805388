"""Working days (hari kerja): Monday to Friday, minus Indonesian public holidays and cuti bersama."""

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[dt.date]:
    # "government" adds cuti bersama, the collective leave days set by joint ministerial decree.
    days = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    return frozenset(days.keys())


def holiday_name(day: dt.date) -> str | None:
    days = holidays.country_holidays(
        "ID", years=day.year, categories=("public", "government"), language="id"
    )
    return days.get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (a step opened on `start` is due then)."""
    current = start
    remaining = max(days, 0)
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    if days <= 0:
        while not is_working_day(current):
            current += dt.timedelta(days=1)
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier."""
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return sign * count
