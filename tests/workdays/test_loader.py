"""Calendar files: what a valid file gives, every problem named with file and line, the shipped
2026 file and the seed package agreeing with the notice day by day."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from counter_tui.workdays.loader import CalendarInvalid, load_calendar
from counter_tui.workdays.rules import (
    OFFICIAL,
    Calendar,
    exceptions_of,
    plan_problems,
)
from counter_tui.workdays.seed import package_plans, shipped_calendar
from tests.workdays.facts import BREAKS_2026, MAKE_UP_2026, oracle_working
from tests.workdays.helpers import YEAR_2027, write


def problems(path: Path) -> list[str]:
    with pytest.raises(CalendarInvalid) as caught:
        load_calendar(path)
    return [str(p) for p in caught.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_a_valid_file_gives_its_arrangement(tmp_path: Path) -> None:
    [file] = load_calendar(write(tmp_path, **{"2027.toml": YEAR_2027}) / "2027.toml")

    plan = file.plan
    assert (plan.year, plan.status, plan.notice) == (2027, OFFICIAL, "测试用安排")
    assert [(h.name, h.first, h.last) for h in plan.holidays] == [
        ("元旦", date(2027, 1, 1), date(2027, 1, 3)),
        ("春节", date(2027, 2, 6), date(2027, 2, 12)),  # a date may be written as text too
    ]
    assert plan.workdays() == [(date(2027, 2, 20), "春节")]


@pytest.mark.parametrize(
    ("change", "needle", "message"),
    [
        (("to = 2027-02-12", "to = 2028-02-12"), "to = 2028", "to: 日期 2028-02-12 不在 2027 年内"),
        (
            ("workdays = [2027-02-20]", "workdays = [2027-02-19]"),
            "workdays =",
            "workdays: 调休上班日 2027-02-19 是周五，不是周末",
        ),
        (
            ("workdays = [2027-02-20]", "workdays = [2027-02-20, 2027-02-20]"),
            "workdays =",
            "workdays: 调休上班日 2027-02-20 重复",
        ),
        (
            ("workdays = [2027-02-20]", "workdays = [2027-02-07]"),
            "workdays =",
            "workdays: 调休上班日 2027-02-07 在「春节」的放假期间内",
        ),
        (
            ('from = "2027-02-06"\nto = 2027-02-12', "from = 2027-01-03\nto = 2027-01-09"),
            "from = 2027-01-03",
            "from: 「春节」与「元旦」的放假日期重叠",
        ),
        (
            ('from = "2027-02-06"', 'from = "2027-02-30"'),
            "2027-02-30",
            "from: 应为日期，如 2026-10-01，实际是 2027-02-30",
        ),
        (('status = "official"', 'status = "draft"'), "status", "status: 应为 official"),
        (('name = "元旦"', 'name = "元旦"\nday = 1'), "day = 1", "day: 未知字段"),
        (("year = 2027", "year = 1999"), "year", "year: 年份应在 2000–2099 之间"),
    ],
)
def test_each_problem_names_file_line_and_field(
    tmp_path: Path, change: tuple[str, str], needle: str, message: str
) -> None:
    text = YEAR_2027.replace(*change)
    folder = write(tmp_path, **{"2027.toml": text})

    found = problems(folder)

    assert f"2027.toml:{line_of(text, needle)}: {message}" in "\n".join(found), found


def test_a_missing_status_and_a_syntax_error_are_reported(tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        **{
            "2027.toml": YEAR_2027.replace('status = "official"\n', ""),
            "2028.toml": "year = 2028\nstatus = \n",
        },
    )

    found = problems(folder)

    assert found[0].startswith("2027.toml:1: status: 缺少必填字段")
    assert found[1].startswith("2028.toml:2: -: TOML 语法错误")


def test_two_files_for_one_year_are_refused(tmp_path: Path) -> None:
    folder = write(tmp_path, **{"2027.toml": YEAR_2027, "2027-b.toml": YEAR_2027})

    assert problems(folder) == [
        "2027.toml:1: year: 2027 年已在 2027-b.toml 中：每年只能有一个日历文件"
    ]


def test_an_empty_folder_and_a_missing_path_are_problems(tmp_path: Path) -> None:
    assert "没有日历文件" in problems(write(tmp_path / "empty"))[0]
    assert "不存在" in problems(tmp_path / "nowhere")[0]


def test_the_shipped_2026_file_is_the_notice() -> None:
    folder = shipped_calendar()
    assert folder is not None, "the calendar files are package data"

    [file] = [f for f in load_calendar(folder) if f.plan.year == 2026]

    plan = file.plan
    assert plan.status == OFFICIAL
    assert {h.name: (h.first, h.last) for h in plan.holidays} == BREAKS_2026
    assert dict(plan.workdays()) == MAKE_UP_2026


def test_the_package_knows_2026_as_the_notice_says_and_every_year_is_valid() -> None:
    plans = {p.year: p for p in package_plans()}

    assert {2004, 2025, 2026} <= set(plans)
    for plan in plans.values():
        assert plan_problems(plan) == [], plan.year
    calendar = Calendar({d: k for d, (k, _) in exceptions_of(plans[2026]).items()})
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert calendar.is_working_day(day) == oracle_working(day), day
        day += timedelta(days=1)


def test_the_package_joins_a_break_of_two_holidays() -> None:
    # 2025: 国庆节 and 中秋节 (Oct 6) made one break, Oct 1–8, with Sep 28 and Oct 11 worked.
    [joined] = [
        h
        for h in next(p for p in package_plans() if p.year == 2025).holidays
        if h.first == date(2025, 10, 1)
    ]

    assert (joined.name, joined.last) == ("国庆节、中秋节", date(2025, 10, 8))
    assert joined.workdays == (date(2025, 9, 28), date(2025, 10, 11))
