"""Read and validate calendar files (docs/calendar-format.md): one TOML file per year.

Every problem becomes one line naming the file, the line, the field and what is wrong, in
Chinese, like the catalog's. All problems of all files are collected; a folder with any problem
is not imported at all.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from counter_tui.catalog.lines import LineMap
from counter_tui.datafiles import Problem
from counter_tui.text import clean
from counter_tui.workdays.rules import (
    MAX_YEAR,
    MIN_YEAR,
    STATUSES,
    Holiday,
    YearPlan,
    plan_problems,
)

MAX_NAME_LENGTH = 50
TOP_FIELDS = ("year", "status", "notice", "holidays")
HOLIDAY_FIELDS = ("name", "from", "to", "workdays")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CalendarInvalid(Exception):
    """Calendar files have problems; `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True)
class CalendarFile:
    """A valid file: its name as shown in messages, its path, and its arrangement."""

    name: str
    path: Path
    plan: YearPlan


def _kind(value: Any) -> str:
    names = {str: "文字", int: "整数", bool: "true/false", list: "列表", dict: "表", float: "小数"}
    if isinstance(value, datetime):
        return "日期时间"
    return names.get(type(value), type(value).__name__)


def _date(value: Any) -> date | None:
    """A TOML date (2026-10-01) or the same written as text; None if it is neither."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


class _Reader:
    """One file: parse it, and report each problem at the line of its key."""

    def __init__(self, name: str, text: str, problems: list[Problem]) -> None:
        self.name = name
        self.problems = problems
        self.lines = LineMap(text)

    def problem(self, path: tuple[str | int, ...], field: str, message: str) -> None:
        self.problems.append(Problem(self.name, self.lines.line(path), field, message))

    def unknown(
        self, data: dict[str, Any], allowed: tuple[str, ...], path: tuple[str | int, ...]
    ) -> bool:
        ok = True
        for key in data:
            if key not in allowed:
                self.problem((*path, key), key, f"未知字段（可用的字段：{'、'.join(allowed)}）")
                ok = False
        return ok

    def date(self, value: Any, path: tuple[str | int, ...], field: str) -> date | None:
        day = _date(value)
        if day is None:
            shown = value if isinstance(value, str) else _kind(value)
            self.problem(path, field, f"应为日期，如 2026-10-01，实际是 {shown}")
        return day

    def plan(self, data: dict[str, Any]) -> YearPlan | None:
        ok = self.unknown(data, TOP_FIELDS, ())
        year = data.get("year")
        if "year" not in data:
            self.problem((), "year", "缺少必填字段")
            ok = False
        elif isinstance(year, bool) or not isinstance(year, int):
            self.problem(("year",), "year", f"应为整数年份，如 2026，实际是 {_kind(year)}")
            ok = False
        elif not MIN_YEAR <= year <= MAX_YEAR:
            self.problem(("year",), "year", f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间，实际是 {year}")
            ok = False
        status = data.get("status")
        if "status" not in data:
            self.problem((), "status", "缺少必填字段（official 正式安排 或 provisional 暂定）")
            ok = False
        elif status not in STATUSES:
            self.problem(
                ("status",),
                "status",
                f"应为 official（正式安排）或 provisional（暂定）：{status!r}",
            )
            ok = False
        notice = data.get("notice", "")
        if not isinstance(notice, str):
            self.problem(("notice",), "notice", f"应为文字，实际是 {_kind(notice)}")
            ok = False
            notice = ""
        raw = data.get("holidays", [])
        if not isinstance(raw, list):
            self.problem(("holidays",), "holidays", "应为 [[holidays]] 表的列表")
            return None
        holidays = []
        for i, entry in enumerate(raw):
            holiday = self.holiday(entry, ("holidays", i))
            if holiday is None:
                ok = False
            else:
                holidays.append(holiday)
        if not ok:
            return None
        assert isinstance(year, int) and isinstance(status, str)
        plan = YearPlan(
            year=year,
            status=status,
            notice=clean(notice),
            holidays=tuple(sorted(holidays, key=lambda h: h.first)),
        )
        # plan_problems counts holidays in file order: check the unsorted one for the lines.
        unsorted = YearPlan(year=year, status=status, holidays=tuple(holidays))
        found = plan_problems(unsorted)
        for path, field, message in found:
            self.problem(path, field, message)
        return None if found else plan

    def holiday(self, entry: Any, path: tuple[str | int, ...]) -> Holiday | None:
        if not isinstance(entry, dict):
            self.problem(path, "holidays", f"应为表，实际是 {_kind(entry)}")
            return None
        ok = self.unknown(entry, HOLIDAY_FIELDS, path)
        name = entry.get("name")
        if "name" not in entry:
            self.problem(path, "name", "缺少必填字段")
            ok = False
        elif not isinstance(name, str) or not clean(name):
            self.problem((*path, "name"), "name", "应为节日名称，如 国庆节")
            ok = False
        elif len(clean(name)) > MAX_NAME_LENGTH:
            self.problem((*path, "name"), "name", f"名称最长 {MAX_NAME_LENGTH} 个字")
            ok = False
        first = last = None
        if "from" not in entry:
            self.problem(path, "from", "缺少必填字段（放假的第一天）")
            ok = False
        else:
            first = self.date(entry["from"], (*path, "from"), "from")
            last = first
        if "to" in entry:
            last = self.date(entry["to"], (*path, "to"), "to")
        workdays: list[date] = []
        raw = entry.get("workdays", [])
        if not isinstance(raw, list):
            self.problem((*path, "workdays"), "workdays", "应为日期列表，如 [2026-10-10]")
            ok = False
        else:
            for value in raw:
                day = self.date(value, (*path, "workdays"), "workdays")
                if day is not None:
                    workdays.append(day)
                else:
                    ok = False
        if not ok or first is None or last is None or not isinstance(name, str):
            return None
        return Holiday(name=clean(name), first=first, last=last, workdays=tuple(workdays))


def read_file(path: Path, name: str, problems: list[Problem]) -> YearPlan | None:
    """One calendar file's arrangement, or None with its problems added to `problems`."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(name, 1, "-", "不是 UTF-8 文本"))
        return None
    except OSError as exc:
        problems.append(Problem(name, 1, "-", f"无法读取（{exc.strerror}）"))
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match[1]) if match else 1
        problems.append(Problem(name, line, "-", f"TOML 语法错误：{exc}"))
        return None
    return _Reader(name, text, problems).plan(data)


def load_calendar(path: Path) -> list[CalendarFile]:
    """Read a calendar file, or every *.toml file of a folder; raises CalendarInvalid with
    every problem found. Two files for the same year are a problem."""
    if path.is_dir():
        paths = sorted(path.glob("*.toml"))
        if not paths:
            raise CalendarInvalid([Problem(str(path), 1, "-", "目录中没有日历文件（*.toml）")])
        names = {p: str(p.relative_to(path)) for p in paths}
    elif path.is_file():
        paths = [path]
        names = {path: path.name}
    else:
        raise CalendarInvalid([Problem(str(path), 1, "-", "文件或目录不存在")])
    problems: list[Problem] = []
    files: list[CalendarFile] = []
    years: dict[int, str] = {}
    for file in paths:
        plan = read_file(file, names[file], problems)
        if plan is None:
            continue
        if plan.year in years:
            problems.append(
                Problem(
                    names[file],
                    LineMap(file.read_text(encoding="utf-8")).line(("year",)),
                    "year",
                    f"{plan.year} 年已在 {years[plan.year]} 中：每年只能有一个日历文件",
                )
            )
            continue
        years[plan.year] = names[file]
        files.append(CalendarFile(name=names[file], path=file, plan=plan))
    if problems:
        raise CalendarInvalid(problems)
    return sorted(files, key=lambda f: f.plan.year)
