"""F6 (统计) and the supervisor's view (督办): the periods and who may read which scope, as
plain rules; then the screen driven by keys against a database whose figures are known."""

from __future__ import annotations

from datetime import date

import pytest

from counter_tui.accounts.rules import report_scope_problem
from counter_tui.ui.screens.reports.periods import Span, parse_range, preset

MONDAY_23 = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("name", "start", "label"),
    [
        ("today", date(2026, 11, 23), "今天"),
        ("week", date(2026, 11, 23), "本周"),  # the 23rd is a Monday
        ("tenday", date(2026, 11, 21), "本旬"),
        ("month", date(2026, 11, 1), "本月"),
    ],
)
def test_the_presets_end_today(name: str, start: date, label: str) -> None:
    assert preset(name, MONDAY_23) == Span(start, MONDAY_23, label)


def test_the_week_starts_on_monday_and_the_tenday_on_the_11th() -> None:
    sunday = date(2026, 11, 15)
    assert preset("week", sunday).start == date(2026, 11, 9)
    assert preset("tenday", sunday).start == date(2026, 11, 11)
    assert preset("tenday", date(2026, 11, 10)).start == date(2026, 11, 1)


@pytest.mark.parametrize(
    "text",
    ["2026-11-01 至 2026-11-15", "11-01 11-15", "20261101~20261115", "2026.11.1到11.15"],
)
def test_a_typed_range_is_read_in_its_usual_spellings(text: str) -> None:
    assert parse_range(text, MONDAY_23) == Span(
        date(2026, 11, 1), date(2026, 11, 15), "11月1日—11月15日"
    )


def test_one_typed_day_is_a_range_of_one_day() -> None:
    assert parse_range("11-20", MONDAY_23) == Span(
        date(2026, 11, 20), date(2026, 11, 20), "11月20日"
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "请输入起止日期"),
        ("11-15 11-01", "开始日期 2026-11-15 晚于结束日期 2026-11-01"),
        ("11-01 11-30", "结束日期 2026-11-30 在今天之后"),
        ("2026-02-30 2026-03-01", "看不懂的日期：2026-02-30"),
        ("昨天", "看不懂的日期：昨天"),
        ("2024-01-01 2026-11-01", "一次最多统计 366 天"),
        ("11-01 11-02 11-03", "只能有起止两个日期"),
    ],
)
def test_a_bad_range_says_what_is_wrong(text: str, said: str) -> None:
    found = parse_range(text, MONDAY_23)
    assert isinstance(found, str) and said in found


def test_supervisors_read_any_scope_clerks_their_own_approvers_their_department() -> None:
    own = {"own_username": "li", "own_window": "3", "own_department": None}
    for role in ("supervisor", "admin"):
        assert report_scope_problem(role, **own) is None
        assert report_scope_problem(role, **own, clerk="zhang") is None
    for role in ("clerk", "trainer"):
        assert report_scope_problem(role, **own, window="3") is None
        assert report_scope_problem(role, **own, clerk="li") is None
        for other in ({}, {"window": "4"}, {"clerk": "zhang"}, {"department": "SCJG"}):
            refused = report_scope_problem(role, **own, **other)
            assert refused is not None and "只能查看本窗口或本人的统计" in refused
    approver = {"own_username": "wang", "own_window": "3", "own_department": "SCJG"}
    assert report_scope_problem("approver", **approver, department="SCJG") is None
    assert report_scope_problem("approver", **approver, department="RSJ") is not None
    assert report_scope_problem("approver", **approver) is not None
    assert report_scope_problem("operator", **own) is not None
