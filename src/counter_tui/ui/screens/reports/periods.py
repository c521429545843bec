"""The periods F6 offers (今天, 本周, 本旬, 本月) and the reading of a typed range, as pure
functions of the hall's day, so the picker and its tests need no clock and no Textual.

A period ends today at the latest: statistics of days to come would be zeros that look real.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

#: The presets in the order p cycles them.
PRESETS = ("today", "week", "tenday", "month")
PRESET_LABELS = {"today": "今天", "week": "本周", "tenday": "本旬", "month": "本月"}
#: The longest range a typed period may span: a year of figures is still one query each.
MAX_DAYS = 366
#: What the range dialog shows as an example, and every error repeats.
EXAMPLE = "2026-11-01 至 2026-11-15"
_SEPARATOR = re.compile(r"\s*(?:至|到|~|～|—|--|\s)\s*")
_DATE = re.compile(r"^(?:(\d{4})[-./年])?(\d{1,2})[-./月](\d{1,2})日?$|^(\d{4})(\d{2})(\d{2})$")


@dataclass(frozen=True)
class Span:
    """A period as F6 shows it: its first and last day (inclusive) and its label."""

    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def preset(name: str, today: date) -> Span:
    """今天, 本周 (from Monday), 本旬 (1–10, 11–20, 21–end of month) or 本月, up to today."""
    if name == "today":
        start = today
    elif name == "week":
        start = today - timedelta(days=today.weekday())
    elif name == "tenday":
        start = today.replace(day=1 if today.day <= 10 else 11 if today.day <= 20 else 21)
    elif name == "month":
        start = today.replace(day=1)
    else:
        raise ValueError(name)
    return Span(start, today, PRESET_LABELS[name])


def span_label(start: date, end: date) -> str:
    """11月1日—11月15日, with the year when the range leaves the current one."""
    if start == end:
        return f"{start.month}月{start.day}日"
    if start.year != end.year:
        return f"{start:%Y}年{start.month}月{start.day}日—{end:%Y}年{end.month}月{end.day}日"
    return f"{start.month}月{start.day}日—{end.month}月{end.day}日"


def parse_range(text: str, today: date) -> Span | str:
    """A typed range (2026-11-01 至 2026-11-15; 11-01 11-15; 20261101~20261115; one day
    alone) as a Span, or the Chinese reason it is not one."""
    parts = [part for part in _SEPARATOR.split(text.strip()) if part]
    if not parts:
        return f"请输入起止日期，例如 {EXAMPLE}"
    if len(parts) > 2:
        return f"只能有起止两个日期：{text.strip()}（例如 {EXAMPLE}）"
    days: list[date] = []
    for part in parts:
        day = _read_date(part, today)
        if day is None:
            return f"看不懂的日期：{part}（例如 {EXAMPLE}）"
        days.append(day)
    start, end = days[0], days[-1]
    if start > end:
        return f"开始日期 {start:%Y-%m-%d} 晚于结束日期 {end:%Y-%m-%d}"
    if end > today:
        return f"结束日期 {end:%Y-%m-%d} 在今天之后：统计只到今天（{today:%Y-%m-%d}）"
    if (end - start).days + 1 > MAX_DAYS:
        return f"一次最多统计 {MAX_DAYS} 天：请缩短起止日期"
    return Span(start, end, span_label(start, end))


def _read_date(text: str, today: date) -> date | None:
    match = _DATE.match(text)
    if match is None:
        return None
    year, month, day, y8, m8, d8 = match.groups()
    try:
        if y8:
            return date(int(y8), int(m8), int(d8))
        return date(int(year) if year else today.year, int(month), int(day))
    except ValueError:  # 2026-02-30
        return None
