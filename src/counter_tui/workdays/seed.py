"""Where the calendar starts from: the `chinesecalendar` package, which encodes the State
Council's arrangements for the years it knows (holidays and make-up working days), and the
calendar files shipped in data/calendar, which override it.

The package is imported only here, when a calendar command seeds the database.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from counter_tui.workdays.rules import OFFICIAL, Holiday, YearPlan, is_weekend

PACKAGE = "chinesecalendar"
#: The package's English names → the names the notices use.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def _package() -> Any:
    # The package has no type information; importlib keeps mypy from asking for stubs.
    return importlib.import_module("chinese_calendar")


def package_source() -> str:
    """e.g. "chinesecalendar 1.11.0": recorded as the source of every seeded year."""
    return f"{PACKAGE} {_package().__version__}"


def _chinese(module: Any, english: str) -> str:
    if english in NAMES:
        return NAMES[english]
    try:
        return str(module.Holiday(english).chinese)
    except ValueError:
        return english


def package_plans() -> list[YearPlan]:
    """Every year the package knows, as official arrangements.

    The package lists days, not breaks: consecutive holiday days (or days separated only by
    weekend days that are not worked) become one break named after its holidays in order
    (2025: 国庆节、中秋节); each make-up day goes to the nearest break of its own holiday.
    """
    module = _package()
    holidays: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for day, english in module.holidays.items():
        holidays[day.year].append((day, _chinese(module, english)))
    workdays: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for day, english in module.workdays.items():
        workdays[day.year].append((day, _chinese(module, english)))
    made_up = set(module.workdays)
    plans = []
    for year in sorted(set(holidays) | set(workdays)):
        breaks: list[list[tuple[date, str]]] = []
        for day, name in sorted(holidays[year]):
            if breaks and _joins(breaks[-1][-1][0], day, made_up):
                breaks[-1].append((day, name))
            else:
                breaks.append([(day, name)])
        periods = [
            (
                "、".join(dict.fromkeys(name for _, name in run)),
                run[0][0],
                run[-1][0],
                {name for _, name in run},
            )
            for run in breaks
        ]
        extra: dict[int, list[date]] = defaultdict(list)
        for day, name in sorted(workdays[year]):
            own = [i for i, p in enumerate(periods) if name in p[3]] or list(range(len(periods)))
            if not own:
                continue  # a make-up day with no break in its year: nothing to attach it to
            nearest = min(own, key=lambda i: _distance(day, periods[i][1], periods[i][2]))
            extra[nearest].append(day)
        plans.append(
            YearPlan(
                year=year,
                status=OFFICIAL,
                holidays=tuple(
                    Holiday(name=name, first=first, last=last, workdays=tuple(extra[i]))
                    for i, (name, first, last, _) in enumerate(periods)
                ),
            )
        )
    return plans


def _joins(previous: date, day: date, made_up: set[date]) -> bool:
    """Whether `day` continues the break ending on `previous`: only days off lie between."""
    between = previous + timedelta(days=1)
    while between < day:
        if not is_weekend(between) or between in made_up:
            return False
        between += timedelta(days=1)
    return True


def _distance(day: date, first: date, last: date) -> int:
    return min(abs((day - first).days), abs((day - last).days))


def shipped_calendar() -> Path | None:
    """The calendar files shipped inside the package (counter_tui/data/calendar); None only if
    an install was stripped of its data, when the chinesecalendar package seeds the calendar
    alone and the admin imports files with `calendar import`."""
    path = Path(__file__).resolve().parents[1] / "data" / "calendar"
    return path if path.is_dir() and any(path.glob("*.toml")) else None
