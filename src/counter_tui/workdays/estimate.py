"""The statutory holidays of a year whose arrangement is not published yet, estimated.

The State Council publishes a year's arrangement (放假安排) in the November before; until then a
due date that reaches the year is provisional (暂定). The estimate is what the law fixes
(《全国年节及纪念日放假办法》, 2024 revision): 元旦 1 day, 春节 4 (除夕 to 初三), 清明节 1,
劳动节 2, 端午节 1, 中秋节 1, 国庆节 3, and a weekday off (补假) for each of them that falls on a
Saturday or Sunday. The lunar dates come from the `holidays` package. Left out: the make-up
working days (调休上班) and the extra days off they buy, which only the published arrangement
says; so an estimated due date may still move by a few days, never by a whole festival.

`holidays` costs about 0.1 s to import, so it is imported only here, when a provisional year is
first counted through, never at start-up.
"""

from __future__ import annotations

import functools
import importlib
from datetime import date
from typing import Any

#: The package's English names (less " (observed)") → the names the notices use.
NAMES = {
    "New Year's Day": "元旦",
    "Chinese New Year's Eve": "春节",
    "Chinese New Year (Spring Festival)": "春节",
    "Tomb-Sweeping Day": "清明节",
    "Labor Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-Autumn Festival": "中秋节",
    "National Day": "国庆节",
}
OBSERVED = " (observed)"


def _package() -> Any:
    # The package's type information would cost a stub dependency; importlib keeps mypy quiet.
    return importlib.import_module("holidays")


@functools.cache
def statutory_holidays(year: int) -> dict[date, str]:
    """Every statutory day off of `year` with its holiday's name (补假 days included), in date
    order; {} for a year the package cannot say anything about."""
    try:
        found = _package().China(years=year, language="en_US")
    except (NotImplementedError, ValueError):
        return {}
    days: dict[date, str] = {}
    for day in sorted(found):
        names = [n.removesuffix(OBSERVED) for n in found.get_list(day)]
        # "Day off (substituted from …)": a day of a published arrangement's 调休, not the law.
        known = [NAMES[n] for n in names if n in NAMES]
        if known:
            days[day] = "、".join(dict.fromkeys(known))
    return days


def estimated_days_off(year: int) -> frozenset[date]:
    """The days a Calendar takes as off in a year without an official arrangement."""
    return frozenset(statutory_holidays(year))
