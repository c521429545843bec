"""The 2026 arrangement as the State Council's notice of 2025-11-04 states it, written out here
independently of the package and of the shipped file, and an oracle that counts working days
from these facts alone, so that tests can compute what they expect."""

from __future__ import annotations

from datetime import date, timedelta

#: Breaks (every day off, weekends included) and the weekend days worked instead (调休上班).
BREAKS_2026 = {
    "元旦": (date(2026, 1, 1), date(2026, 1, 3)),  # Thu–Sat
    "春节": (date(2026, 2, 15), date(2026, 2, 23)),  # Sun (腊月二十八) – Mon (正月初七)
    "清明节": (date(2026, 4, 4), date(2026, 4, 6)),  # Sat–Mon
    "劳动节": (date(2026, 5, 1), date(2026, 5, 5)),  # Fri–Tue
    "端午节": (date(2026, 6, 19), date(2026, 6, 21)),  # Fri–Sun
    "中秋节": (date(2026, 9, 25), date(2026, 9, 27)),  # Fri–Sun
    "国庆节": (date(2026, 10, 1), date(2026, 10, 7)),  # Thu–Wed
}
MAKE_UP_2026 = {
    date(2026, 1, 4): "元旦",  # Sun
    date(2026, 2, 14): "春节",  # Sat
    date(2026, 2, 28): "春节",  # Sat
    date(2026, 5, 9): "劳动节",  # Sat
    date(2026, 9, 20): "国庆节",  # Sun
    date(2026, 10, 10): "国庆节",  # Sat
}


def off_2026() -> set[date]:
    days = set()
    for first, last in BREAKS_2026.values():
        day = first
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


#: The fixed-date statutory holidays (《全国年节及纪念日放假办法》): 元旦, 劳动节, 国庆节.
FIXED_DATE_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}


def oracle_working(day: date) -> bool:
    """2026 by the notice; 2027 on by the weekend rule less the fixed-date holidays (no official
    calendar yet). Not for 2025 and before, which have arrangements of their own."""
    if day.year >= 2027 and (day.month, day.day) in FIXED_DATE_HOLIDAYS:
        return False
    if day in MAKE_UP_2026:
        return True
    if day in off_2026():
        return False
    return day.weekday() < 5


def oracle_due(start: date, days: int) -> date:
    """The `days`-th working day after `start`, counted one day at a time by the oracle."""
    day, left = start, days
    while left:
        day += timedelta(days=1)
        left -= oracle_working(day)
    return day
