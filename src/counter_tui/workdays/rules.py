"""Working days, pure: which days count, how a due date is reached, and what a year's holiday
arrangement (放假安排) must look like. No I/O.

A day is a working day by the weekend rule (Monday–Friday) unless the calendar says otherwise:
a statutory holiday on a weekday does not count, a make-up working day on a weekend (调休上班)
does (DOMAIN.md, §82). Limits are counted from the day after acceptance (DESIGN §5). A year the
calendar has no official arrangement for falls back to the weekend rule less an estimate of its
statutory holidays (lunar ones included, given by the caller: workdays/estimate.py), or less the
fixed-date ones (元旦, 劳动节, 国庆节) when there is no estimate; every due date that reaches
such a year is provisional.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

HOLIDAY = "holiday"
WORKDAY = "workday"

OFFICIAL = "official"
PROVISIONAL = "provisional"
STATUSES = {OFFICIAL: "正式安排", PROVISIONAL: "暂定"}

#: Where a year's arrangement came from, ranked: an automatic seed never replaces a year that
#: came from a higher-ranked origin (docs/architecture.md, "Working days").
ORIGINS = {"package": 1, "file": 2, "hub": 3}

#: Years a calendar may describe and a date may fall in.
MIN_YEAR = 2000
MAX_YEAR = 2099
#: The longest limit accepted: far beyond any legal limit, short of the calendar's end.
MAX_DAYS = 3650
#: No break in any official arrangement has been longer (2020's Spring Festival: 10 days).
MAX_HOLIDAY_DAYS = 15

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def weekday_name(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def is_working_day(day: date, exceptions: Mapping[date, str]) -> bool:
    """The weekend rule, overridden by the calendar's exceptions (day → HOLIDAY or WORKDAY)."""
    kind = exceptions.get(day)
    if kind == HOLIDAY:
        return False
    if kind == WORKDAY:
        return True
    return not is_weekend(day)


#: Statutory holidays on fixed dates (《全国年节及纪念日放假办法》, 2024 revision): 元旦 1-1,
#: 劳动节 5-1 and 5-2, 国庆节 10-1 to 10-3. They are known before a year's arrangement is
#: published, so a provisional year skips them even without an estimate of the lunar ones
#: (春节, 清明, 端午, 中秋), which a Calendar's `estimate` adds.
FIXED_DATE_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


@dataclass(frozen=True)
class Calendar:
    """The working-day calendar as far as it is known.

    `exceptions` holds only the days that differ from the weekend rule; `official_years` the
    years with an official arrangement. Any other year is provisional: the weekend rule less the
    days `estimate(year)` gives (the statutory holidays, lunar ones included) or, without an
    estimate, less the fixed-date holidays; a provisional arrangement's exceptions win over both.
    """

    exceptions: Mapping[date, str] = field(default_factory=dict)
    official_years: frozenset[int] = frozenset()
    #: The estimated days off of a year without an official arrangement; asked once per year,
    #: only when a day of such a year is asked about (it may import a package).
    estimate: Callable[[int], Collection[date]] | None = field(
        default=None, repr=False, compare=False
    )
    #: Answers already given. A worklist asks the same questions for every case on it — the
    #: same few weeks, the same (today, due date) pairs — so a list of 742 overdue cases costs
    #: about 40 look-ups instead of 13,000 (bench cases). The calendar never changes once
    #: made (a new import makes a new Calendar), so an answer never goes stale.
    _known: dict[date, bool] = field(default_factory=dict, init=False, repr=False, compare=False)
    _counted: dict[tuple[date, date], int] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _added: dict[tuple[date, int], date] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _estimated: dict[int, Collection[date]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def is_working_day(self, day: date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._is_working_day(day)
        return known

    def _is_working_day(self, day: date) -> bool:
        if day.year not in self.official_years and day not in self.exceptions:
            return not is_weekend(day) and not self._estimated_off(day)
        return is_working_day(day, self.exceptions)

    def _estimated_off(self, day: date) -> bool:
        """Off by the estimate of a year without an official arrangement."""
        if self.estimate is None:
            return (day.month, day.day) in FIXED_DATE_HOLIDAYS
        days = self._estimated.get(day.year)
        if days is None:
            days = self._estimated[day.year] = self.estimate(day.year)
        return day in days if days else (day.month, day.day) in FIXED_DATE_HOLIDAYS

    def is_official(self, year: int) -> bool:
        return year in self.official_years


def add_working_days(start: date, days: int, calendar: Calendar) -> date:
    """The day on which the `days`-th working day after `start` falls.

    Counting starts the day after `start`; 0 days is `start` itself (即办件: done at the window).
    """
    if days < 0:
        raise ValueError(f"days must not be negative: {days}")
    known = calendar._added.get((start, days))
    if known is not None:
        return known
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    calendar._added[(start, days)] = day
    return day


def working_days_between(a: date, b: date, calendar: Calendar) -> int:
    """Working days in (a, b]: how many of the limit have been used by `b` (negative if b < a).

    For n ≥ 1, `working_days_between(a, add_working_days(a, n, c), c) == n`.
    """
    if b < a:
        return -working_days_between(b, a, calendar)
    known = calendar._counted.get((a, b))
    if known is not None:
        return known
    count = 0
    day = a
    while day < b:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    calendar._counted[(a, b)] = count
    return count


@dataclass(frozen=True)
class DueDate:
    """A due date, and whether it rests on a year with no official arrangement yet."""

    date: date
    #: Years counted through whose arrangement is not official; empty when the date is final.
    unofficial_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.unofficial_years)

    def warning(self) -> str | None:
        """What a receipt or the command line says about a provisional date."""
        if not self.unofficial_years:
            return None
        years = "、".join(f"{y} 年" for y in self.unofficial_years)
        return (
            f"暂定：{years}的放假安排尚未正式公布，暂按双休日和法定节假日估算（不含调休）；"
            "公布后应重新计算"
        )


def due(start: date, days: int, calendar: Calendar) -> DueDate:
    """Due date of a limit of `days` working days for a case accepted on `start`."""
    end = add_working_days(start, days, calendar)
    if end == start:
        return DueDate(end)
    first = start + timedelta(days=1)
    years = tuple(y for y in range(first.year, end.year + 1) if not calendar.is_official(y))
    return DueDate(end, years)


# --- a year's arrangement ------------------------------------------------------------------


@dataclass(frozen=True)
class Holiday:
    """One break of the arrangement, as the State Council's notice states it: every day from
    `first` to `last` is off (weekends included), and `workdays` are the weekend days worked in
    exchange (调休上班)."""

    name: str
    first: date
    last: date
    workdays: tuple[date, ...] = ()

    def days(self) -> Iterator[date]:
        day = self.first
        while day <= self.last:
            yield day
            day += timedelta(days=1)

    @property
    def length(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class YearPlan:
    """A year's arrangement (放假安排): the holidays in date order, official or provisional."""

    year: int
    status: str
    holidays: tuple[Holiday, ...] = ()
    #: The notice it comes from, e.g. 国务院办公厅关于2026年部分节假日安排的通知.
    notice: str = ""

    def workdays(self) -> list[tuple[date, str]]:
        """Every make-up working day with the name of its holiday, in date order."""
        return sorted((day, h.name) for h in self.holidays for day in h.workdays)


@dataclass(frozen=True)
class Published:
    """A year's arrangement and where it came from (an origin of ORIGINS, and a description:
    the package and its version, the file, the hub)."""

    plan: YearPlan
    origin: str
    source: str


#: A problem in an arrangement: the key path in its file, the field, the message.
PlanProblem = tuple[tuple[str | int, ...], str, str]


def plan_problems(plan: YearPlan) -> list[PlanProblem]:
    """Everything wrong with an arrangement, in Chinese; empty when it can be used."""
    problems: list[PlanProblem] = []
    year = plan.year
    if not MIN_YEAR <= year <= MAX_YEAR:
        problems.append((("year",), "year", f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间，实际是 {year}"))
        return problems
    if plan.status not in STATUSES:
        problems.append((("status",), "status", f"应为 official 或 provisional：{plan.status!r}"))
    taken: dict[date, str] = {}
    for i, holiday in enumerate(plan.holidays):
        where = ("holidays", i)
        ok = True
        for key, day in (("from", holiday.first), ("to", holiday.last)):
            if day.year != year:
                problems.append(((*where, key), key, f"日期 {day} 不在 {year} 年内"))
                ok = False
        if not ok:
            continue
        if holiday.last < holiday.first:
            problems.append(
                ((*where, "to"), "to", f"结束日期 {holiday.last} 早于开始日期 {holiday.first}")
            )
            continue
        if holiday.length > MAX_HOLIDAY_DAYS:
            problems.append(
                (
                    (*where, "to"),
                    "to",
                    f"「{holiday.name}」放假 {holiday.length} 天，超过 {MAX_HOLIDAY_DAYS} 天："
                    "请检查日期",
                )
            )
            continue
        clash = next((taken[d] for d in holiday.days() if d in taken), None)
        if clash is not None:
            problems.append(
                ((*where, "from"), "from", f"「{holiday.name}」与「{clash}」的放假日期重叠")
            )
            continue
        for day in holiday.days():
            taken[day] = holiday.name
    seen: set[date] = set()
    for i, holiday in enumerate(plan.holidays):
        at: tuple[str | int, ...] = ("holidays", i, "workdays")
        for day in holiday.workdays:
            if day.year != year:
                problems.append((at, "workdays", f"调休上班日 {day} 不在 {year} 年内"))
            elif not is_weekend(day):
                problems.append(
                    (
                        at,
                        "workdays",
                        f"调休上班日 {day} 是{weekday_name(day)}，不是周末"
                        "（只有周六、周日才需要列为调休上班）",
                    )
                )
            elif day in seen:
                problems.append((at, "workdays", f"调休上班日 {day} 重复"))
            elif day in taken:
                problems.append(
                    (at, "workdays", f"调休上班日 {day} 在「{taken[day]}」的放假期间内")
                )
            seen.add(day)
    return problems


def exceptions_of(plan: YearPlan) -> dict[date, tuple[str, str]]:
    """The days of a (valid) arrangement that differ from the weekend rule: day → (kind, name).

    Weekend days inside a break are off anyway and are not stored.
    """
    found: dict[date, tuple[str, str]] = {}
    for holiday in plan.holidays:
        for day in holiday.days():
            if not is_weekend(day):
                found[day] = (HOLIDAY, holiday.name)
        for day in holiday.workdays:
            found[day] = (WORKDAY, holiday.name)
    return dict(sorted(found.items()))


def plan_to_json(plan: YearPlan) -> dict[str, Any]:
    return {
        "year": plan.year,
        "status": plan.status,
        "notice": plan.notice,
        "holidays": [
            {
                "name": h.name,
                "from": h.first.isoformat(),
                "to": h.last.isoformat(),
                "workdays": [d.isoformat() for d in h.workdays],
            }
            for h in plan.holidays
        ],
    }


def plan_from_json(data: dict[str, Any]) -> YearPlan:
    return YearPlan(
        year=int(data["year"]),
        status=str(data["status"]),
        notice=str(data.get("notice", "")),
        holidays=tuple(
            Holiday(
                name=str(h["name"]),
                first=date.fromisoformat(h["from"]),
                last=date.fromisoformat(h["to"]),
                workdays=tuple(date.fromisoformat(d) for d in h["workdays"]),
            )
            for h in data["holidays"]
        ),
    )


def plan_digest(plan: YearPlan) -> str:
    """SHA-256 of the arrangement's canonical JSON: importing the same year again is a no-op."""
    text = json.dumps(plan_to_json(plan), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def working_days_in_year(year: int, calendar: Calendar) -> int:
    return working_days_between(date(year - 1, 12, 31), date(year, 12, 31), calendar)


# --- what a user types ------------------------------------------------------------------------


def parse_date(text: str) -> date:
    """A date typed on the command line (YYYY-MM-DD); ValueError with the message to show."""
    value = text.strip()
    try:
        if len(value) != 10:
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"不是日期：{text}（应为 YYYY-MM-DD，如 2026-09-30）") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"日期应在 {MIN_YEAR}–{MAX_YEAR} 年之间：{text}")
    return day


def parse_days(text: str) -> int:
    """A number of working days typed on the command line; ValueError with the message."""
    value = text.strip()
    if not value.lstrip("-").isdigit():
        raise ValueError(f"工作日数应为整数：{text}")
    days = int(value)
    if not 0 <= days <= MAX_DAYS:
        raise ValueError(f"工作日数应在 0–{MAX_DAYS} 之间（0 表示即办件当天办结），实际是 {days}")
    return days


def year_problem(year: int) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间，实际是 {year}"
    return None
