"""The formulas of the supervision figures, in one place (issue 16, DOMAIN.md "Ratings").

GB/T 39734/39735 name 好评率, 主动评价好评率 and 未评价率, but their annex B was not obtained, so
these are the working definitions of DOMAIN.md, kept here and nowhere else:

- 好评 = levels 1–3 (非常满意, 满意, 基本满意); 差评 = levels 4–5 (不满意, 非常不满意).
- 好评率 = 好评 / all ratings counted (a rating recorded by default, 默认, counts as a rating
  but never as given).
- 主动评价好评率 = 好评 among the ratings the applicant actually gave / the ratings given.
- 未评价率 = ratings not given (未评价: the pad timed out, or a default was recorded) / all
  ratings (services and cases that had a rating prompt).
- 一次办成率 = cases finished (办结) in the period whose applicant came at most once (`trips`
  ≤ 1: accepting and collecting in one visit is one trip, a posted result no trip) / cases
  finished in the period.
- 按时办结 (on time) = a case finished on or before its committed due date, both in the hall's
  local days; a case without a due date (never accepted) is not on time.
- 差评回访率 (bad ratings called back) over a period: 应回访 = the bad ratings given (levels
  4–5, given) rated in the period, plus those rated before it not yet called back (回访核实) at
  its start; 已回访 = those of them called back by the period's close; the rate is 已回访 /
  应回访, and 应回访 less 已回访 is the report's 差评未回访清单 (issue 16: "named bad ratings
  must reach 100 % follow-up: the report says which have not"). A rating an appeal found
  mistaken (误评) is owed no call, whenever the appeal came. A listed follow-up is 超期 when its
  deadline is before the period's last day (as a case's, below).
- 超期未办结 (overdue open) at a day's close = a case accepted by then, due before that day
  and not finished by its close: the yellow and red cards of that day (cases.worklist.overdue).

A rate is None when its denominator is 0: "no data" is not 0 %.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

#: GB/T 39046 满意度 codes.
GOOD_LEVELS = (1, 2, 3)
BAD_LEVELS = (4, 5)
#: A trip count that still makes 一次办成 (最多跑一次).
ONE_TRIP = 1


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


def callback_line(called: int, owed: int) -> str:
    """「差评回访率 50.0%（4 件中 2 件已回访）」: the 差评回访率 as a report's summary says it."""
    if not owed:
        return "差评回访率 —（本期没有应回访的差评）"
    return f"差评回访率 {percent(rate(called, owed))}（{owed} 件中 {called} 件已回访）"


def percent(value: float | None) -> str:
    """A rate as a reader sees it: 87.5%, or — for no data."""
    return "—" if value is None else f"{value * 100:.1f}%"


# --- the reporting periods ------------------------------------------------------------------

#: Report kind → its Chinese title.
KINDS = {"daily": "日统计", "weekly": "周排名", "tenday": "旬调度", "monthly": "月通报"}


@dataclass(frozen=True)
class Span:
    """A report's days: from `start` to `end` inclusive, hall-local."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def span_of(kind: str, day: date) -> Span:
    """The period of a report of `kind` that contains `day`: the day; its week (Monday to
    Sunday); its 旬 (1–10, 11–20, 21 to the month's end); its calendar month."""
    if kind == "daily":
        return Span(day, day)
    if kind == "weekly":
        monday = day - timedelta(days=day.weekday())
        return Span(monday, monday + timedelta(days=6))
    last = monthrange(day.year, day.month)[1]
    if kind == "tenday":
        first = min(((day.day - 1) // 10) * 10 + 1, 21)
        end = first + 9 if first < 21 else last
        return Span(day.replace(day=first), day.replace(day=end))
    if kind == "monthly":
        return Span(day.replace(day=1), day.replace(day=last))
    raise ValueError(f"unknown report kind {kind!r}")
