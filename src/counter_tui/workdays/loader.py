"""Read and validate calendar files (docs/calendar-format.md): one TOML file per year.

Every problem becomes one line naming the file, the line, the field and what is wrong, in
Chinese, like the catalog's. All problems of all files are collected; a folder with any problem
is not imported at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from counter_tui.datafiles.fields import day, kind_name, read_value
from counter_tui.datafiles.lines import KeyPath
from counter_tui.datafiles.reading import DataFile, DataFilesInvalid, Problem
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


class CalendarInvalid(DataFilesInvalid):
    """Calendar files have problems; `problems` lists every one."""


@dataclass(frozen=True)
class CalendarFile:
    """A valid file: its name as shown in messages, its path, and its arrangement."""

    name: str
    path: Path
    plan: YearPlan


def _plan(file: DataFile, data: dict[str, Any]) -> YearPlan | None:
    """The file's arrangement, or None with each problem reported at its key's line."""
    ok = file.unknown_keys(data, TOP_FIELDS, ())
    year = data.get("year")
    if "year" not in data:
        file.problem((), "year", "缺少必填字段")
        ok = False
    elif isinstance(year, bool) or not isinstance(year, int):
        file.problem(("year",), "year", f"应为整数年份，如 2026，实际是 {kind_name(year)}")
        ok = False
    elif not MIN_YEAR <= year <= MAX_YEAR:
        file.problem(("year",), "year", f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间，实际是 {year}")
        ok = False
    status = data.get("status")
    if "status" not in data:
        file.problem((), "status", "缺少必填字段（official 正式安排 或 provisional 暂定）")
        ok = False
    elif status not in STATUSES:
        file.problem(
            ("status",),
            "status",
            f"应为 official（正式安排）或 provisional（暂定）：{status!r}",
        )
        ok = False
    notice = data.get("notice", "")
    if not isinstance(notice, str):
        file.problem(("notice",), "notice", f"应为文字，实际是 {kind_name(notice)}")
        ok = False
        notice = ""
    raw = data.get("holidays", [])
    if not isinstance(raw, list):
        file.problem(("holidays",), "holidays", "应为 [[holidays]] 表的列表")
        return None
    holidays = []
    for i, entry in enumerate(raw):
        holiday = _holiday(file, entry, ("holidays", i))
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
        file.problem(path, field, message)
    return None if found else plan


def _holiday(file: DataFile, entry: Any, path: KeyPath) -> Holiday | None:
    if not isinstance(entry, dict):
        file.problem(path, "holidays", f"应为表，实际是 {kind_name(entry)}")
        return None
    ok = file.unknown_keys(entry, HOLIDAY_FIELDS, path)
    name = entry.get("name")
    if "name" not in entry:
        file.problem(path, "name", "缺少必填字段")
        ok = False
    elif not isinstance(name, str) or not clean(name):
        file.problem((*path, "name"), "name", "应为节日名称，如 国庆节")
        ok = False
    elif len(clean(name)) > MAX_NAME_LENGTH:
        file.problem((*path, "name"), "name", f"名称最长 {MAX_NAME_LENGTH} 个字")
        ok = False
    first = last = None
    if "from" not in entry:
        file.problem(path, "from", "缺少必填字段（放假的第一天）")
        ok = False
    else:
        first = read_value(file, entry["from"], day, (*path, "from"), "from")
        last = first
    if "to" in entry:
        last = read_value(file, entry["to"], day, (*path, "to"), "to")
    workdays: list[date] = []
    raw = entry.get("workdays", [])
    if not isinstance(raw, list):
        file.problem((*path, "workdays"), "workdays", "应为日期列表，如 [2026-10-10]")
        ok = False
    else:
        for value in raw:
            found = read_value(file, value, day, (*path, "workdays"), "workdays")
            if found is not None:
                workdays.append(found)
            else:
                ok = False
    if not ok or first is None or last is None or not isinstance(name, str):
        return None
    return Holiday(name=clean(name), first=first, last=last, workdays=tuple(workdays))


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
    for where in paths:
        file = DataFile.read(where, names[where], problems)
        plan = None if file.data is None else _plan(file, file.data)
        if plan is None:
            continue
        if plan.year in years:
            message = f"{plan.year} 年已在 {years[plan.year]} 中：每年只能有一个日历文件"
            file.problem(("year",), "year", message)
            continue
        years[plan.year] = names[where]
        files.append(CalendarFile(name=names[where], path=where, plan=plan))
    if problems:
        raise CalendarInvalid(problems)
    return sorted(files, key=lambda f: f.plan.year)
