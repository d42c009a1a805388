"""Working days (hari kerja): Monday to Friday, minus Indonesian public holidays and cuti bersama.

Counting is arithmetic over a per-year table of cumulative working days (built once per year and
cached), so a list of a thousand deadlines costs a thousand subtractions, not a walk over every
day between each pair of dates.
"""

import datetime as dt
from bisect import bisect_left
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[dt.date]:
    # "government" adds cuti bersama, the collective leave days set by joint ministerial decree.
    days = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    return frozenset(days.keys())


@lru_cache(maxsize=256)
def _year(year: int) -> tuple[tuple[int, ...], int]:
    """For each day of `year` (index = day of year - 1), working days from 1 Jan up to it
    inclusive; and the year's total."""
    holidays_ = _holidays_of(year)
    counts, total = [], 0
    day = dt.date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5 and day not in holidays_:
            total += 1
        counts.append(total)
        day += dt.timedelta(days=1)
    return tuple(counts), total


def holiday_name(day: dt.date) -> str | None:
    days = holidays.country_holidays(
        "ID", years=day.year, categories=("public", "government"), language="id"
    )
    return days.get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def _upto(day: dt.date) -> int:
    """Working days from 1 Jan of day's year up to `day` inclusive."""
    return _year(day.year)[0][day.timetuple().tm_yday - 1]


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier."""
    if end < start:
        return -working_days_between(end, start)
    count = _upto(end) - _upto(start)
    for year in range(start.year, end.year):
        count += _year(year)[1]
    return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (a step opened on `start` is due then).

    With 0 (or less) days: `start` itself if it is a working day, else the next working day.
    """
    if days <= 0:
        current = start
        while not is_working_day(current):
            current += dt.timedelta(days=1)
        return current
    # The target is the first day whose count since 1 Jan of start's year reaches `wanted`.
    wanted = _upto(start) + days
    year = start.year
    while True:
        counts, total = _year(year)
        if counts[-1] >= wanted:
            return dt.date(year, 1, 1) + dt.timedelta(days=bisect_left(counts, wanted))
        wanted -= total
        year += 1
