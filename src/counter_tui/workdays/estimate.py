"""The statutory holidays of a year whose arrangement is not published yet, estimated.

The State Council publishes a year's arrangement (放假安排) in the November before; until then a
due date that reaches the year is provisional (暂定). The estimate is what the law fixes
(《全国年节及纪念日放假办法》, 2024 revision, in force from 2025): 元旦 1 day, 春节 4 (除夕 to
初三), 清明节 1, 劳动节 2, 端午节 1, 中秋节 1, 国庆节 3, and for every holiday that falls on a
Saturday or Sunday a weekday off after its break (补假). Left out: the make-up working days
(调休上班) and the longer breaks they buy, which only the published arrangement says; so an
estimated due date may still move by a day or two, never by a whole festival.

The lunar dates come from a shipped table (lunar.py, made from the `holidays` package and checked
against it by the tests): importing that package costs ~0.15–0.35 s and ~20 MB here, too much
for a window PC's process to pay on its first acceptance of the year.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

from counter_tui.workdays.lunar import TABLE
from counter_tui.workdays.rules import is_weekend


@functools.cache
def _lunar() -> dict[int, tuple[date, date, date, date]]:
    """year → (除夕, 清明节, 端午节, 中秋节), from the table's lines `YEAR MMDD MMDD MMDD MMDD`."""
    found = {}
    for line in TABLE.strip().splitlines():
        year_text, *days = line.split()
        year = int(year_text)
        eve, qingming, duanwu, zhongqiu = (date(year, int(d[:2]), int(d[2:])) for d in days)
        found[year] = (eve, qingming, duanwu, zhongqiu)
    return found


def _days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


@functools.cache
def statutory_holidays(year: int) -> dict[date, str]:
    """Every statutory day off of `year` with its holiday's name (补假 days included), in date
    order; {} for a year outside the table (before the 2024 rules, or after 2099)."""
    lunar = _lunar().get(year)
    if lunar is None:
        return {}
    eve, qingming, duanwu, zhongqiu = lunar
    named: dict[date, list[str]] = {}
    for days, name in (
        ([date(year, 1, 1)], "元旦"),
        (_days(eve, 4), "春节"),
        ([qingming], "清明节"),
        (_days(date(year, 5, 1), 2), "劳动节"),
        ([duanwu], "端午节"),
        ([zhongqiu], "中秋节"),
        (_days(date(year, 10, 1), 3), "国庆节"),
    ):
        for day in days:
            named.setdefault(day, []).append(name)
    found = {day: "、".join(names) for day, names in named.items()}
    # 补假: each break (consecutive statutory days) owes a weekday after it for every holiday
    # on one of its weekend days (two holidays on one Sunday owe two), skipping weekends and
    # other holidays.
    breaks: list[list[date]] = []
    for day in sorted(named):
        if breaks and day - breaks[-1][-1] == timedelta(days=1):
            breaks[-1].append(day)
        else:
            breaks.append([day])
    for run in breaks:
        owed = sum(len(named[day]) for day in run if is_weekend(day))
        name = "、".join(dict.fromkeys(n for day in run for n in named[day]))
        day = run[-1]
        while owed:
            day += timedelta(days=1)
            if not is_weekend(day) and day not in found:
                found[day] = name
                owed -= 1
    return dict(sorted(found.items()))


def estimated_days_off(year: int) -> frozenset[date]:
    """The days a Calendar takes as off in a year without an official arrangement."""
    return frozenset(statutory_holidays(year))
