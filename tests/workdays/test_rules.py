"""Working-day rules, pure: counting from the day after, make-up days count, holiday weekdays do
not, unknown years by the weekend rule and provisional; properties over random calendars."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_tui.workdays.rules import (
    HOLIDAY,
    WORKDAY,
    Calendar,
    Holiday,
    YearPlan,
    add_working_days,
    due,
    exceptions_of,
    is_working_day,
    parse_date,
    parse_days,
    plan_from_json,
    plan_problems,
    plan_to_json,
    working_days_between,
    working_days_in_year,
)
from tests.workdays.facts import oracle_due, oracle_working
from tests.workdays.helpers import CAL_2026, PLAN_2026


def test_the_2026_plan_written_from_the_notice_is_valid() -> None:
    assert plan_problems(PLAN_2026) == []


def test_exceptions_hold_only_days_that_differ_from_the_weekend_rule() -> None:
    found = exceptions_of(PLAN_2026)

    # 国庆节 Oct 1–7: Oct 3 and 4 are a weekend, off anyway, so not stored.
    assert found[date(2026, 10, 1)] == (HOLIDAY, "国庆节")
    assert date(2026, 10, 3) not in found and date(2026, 10, 4) not in found
    assert found[date(2026, 10, 10)] == (WORKDAY, "国庆节")
    assert all(kind == HOLIDAY for d, (kind, _) in found.items() if d.weekday() < 5)
    assert all(kind == WORKDAY for d, (kind, _) in found.items() if d.weekday() >= 5)


def test_every_day_of_2026_agrees_with_the_notice() -> None:
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert CAL_2026.is_working_day(day) == oracle_working(day), day
        day += timedelta(days=1)


def test_2026_has_248_working_days() -> None:
    # 365 days from Thu Jan 1: 104 weekend days → 261 weekdays; 19 weekdays are off
    # (元旦 2, 春节 6, 清明 1, 劳动 3, 端午 1, 中秋 1, 国庆 5); 6 weekend days are worked.
    assert working_days_in_year(2026, CAL_2026) == 261 - 19 + 6


@pytest.mark.parametrize(
    ("start", "days", "reason"),
    [
        # Wed before 国庆节: Oct 1–7 off; Oct 8 (1), 9 (2), Sat 10 make-up (3), 12 (4), 13 (5).
        (date(2026, 9, 30), 5, "国庆节 and its make-up Saturday"),
        # Thu before 中秋节: Fri 25 off, 26–27 weekend: Mon 28 is the first working day.
        (date(2026, 9, 24), 1, "中秋节 on a Friday"),
        # Fri 18: Sat 19 off, Sun 20 is a make-up day for 国庆节 and counts.
        (date(2026, 9, 18), 1, "make-up Sunday"),
        # Fri 13 Feb: Sat 14 is worked (春节 make-up), then Feb 15–23 off: Tue 24 is the 2nd.
        (date(2026, 2, 13), 2, "春节 with the make-up Saturday before it"),
        # Fri 27 Feb: Sat 28 is worked (春节 make-up).
        (date(2026, 2, 27), 1, "春节 make-up Saturday after it"),
        # Accepted on a holiday: counting still starts the next day.
        (date(2026, 10, 3), 3, "accepted during a break"),
        (date(2026, 1, 30), 20, "across 春节"),
    ],
)
def test_due_dates_over_the_2026_holidays(start: date, days: int, reason: str) -> None:
    end = add_working_days(start, days, CAL_2026)

    assert end == oracle_due(start, days), reason
    assert CAL_2026.is_working_day(end)
    assert not due(start, days, CAL_2026).provisional


def test_the_examples_by_hand() -> None:
    assert add_working_days(date(2026, 9, 30), 5, CAL_2026) == date(2026, 10, 13)
    assert add_working_days(date(2026, 9, 24), 1, CAL_2026) == date(2026, 9, 28)
    assert add_working_days(date(2026, 9, 18), 1, CAL_2026) == date(2026, 9, 20)
    assert add_working_days(date(2026, 2, 13), 2, CAL_2026) == date(2026, 2, 24)


def test_zero_days_is_the_day_of_acceptance() -> None:
    # 即办件: done at the window, even on a holiday a village room happens to be open.
    assert add_working_days(date(2026, 10, 1), 0, CAL_2026) == date(2026, 10, 1)
    assert due(date(2026, 10, 1), 0, CAL_2026).unofficial_years == ()


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1, CAL_2026)


def test_a_due_date_in_a_year_without_an_official_calendar_is_provisional() -> None:
    # Mon 28 Dec 2026: Dec 29, 30, 31 are working days (3); 2027 is unknown, but Fri 1 Jan is
    # 元旦 by its fixed date, so Mon 4 Jan (4) and Tue 5 Jan is the 5th.
    result = due(date(2026, 12, 28), 5, CAL_2026)

    assert result.date == oracle_due(date(2026, 12, 28), 5) == date(2027, 1, 5)
    assert result.provisional and result.unofficial_years == (2027,)
    assert "2027 年" in (result.warning() or "")
    # Ending on Dec 31 touches no unknown year.
    assert not due(date(2026, 12, 28), 3, CAL_2026).provisional


def test_when_the_next_year_arrives_the_date_is_recomputed_and_final() -> None:
    plan_2027 = YearPlan(
        year=2027,
        status="official",
        holidays=(Holiday("元旦", date(2027, 1, 1), date(2027, 1, 3)),),  # Fri–Sun
    )
    exceptions = dict(CAL_2026.exceptions)
    exceptions.update({d: kind for d, (kind, _) in exceptions_of(plan_2027).items()})
    calendar = Calendar(exceptions, frozenset({2026, 2027}))

    result = due(date(2026, 12, 28), 5, calendar)

    # Jan 1 no longer counts: Mon 4 Jan is the 4th working day, Tue 5 Jan the 5th.
    assert result.date == date(2027, 1, 5)
    assert not result.provisional


def test_working_days_between_counts_the_interval_after_the_first_day() -> None:
    # Sep 30 → Oct 13: Oct 8, 9, 10 (make-up), 12, 13.
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 13), CAL_2026) == 5
    assert working_days_between(date(2026, 10, 13), date(2026, 9, 30), CAL_2026) == -5
    assert working_days_between(date(2026, 10, 2), date(2026, 10, 7), CAL_2026) == 0


def test_plan_json_round_trips() -> None:
    assert plan_from_json(plan_to_json(PLAN_2026)) == PLAN_2026


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (
            YearPlan(2026, "official", (Holiday("国庆节", date(2026, 10, 1), date(2027, 1, 1)),)),
            "日期 2027-01-01 不在 2026 年内",
        ),
        (
            YearPlan(
                2026,
                "official",
                (Holiday("国庆节", date(2026, 10, 1), date(2026, 10, 7), (date(2026, 10, 9),)),),
            ),
            "调休上班日 2026-10-09 是周五，不是周末",
        ),
        (
            YearPlan(
                2026,
                "official",
                (
                    Holiday("中秋节", date(2026, 9, 25), date(2026, 10, 1)),
                    Holiday("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
                ),
            ),
            "「国庆节」与「中秋节」的放假日期重叠",
        ),
        (
            YearPlan(
                2026,
                "official",
                (
                    Holiday(
                        "国庆节",
                        date(2026, 10, 1),
                        date(2026, 10, 7),
                        (date(2026, 10, 10), date(2026, 10, 10)),
                    ),
                ),
            ),
            "调休上班日 2026-10-10 重复",
        ),
        (
            YearPlan(
                2026,
                "official",
                (Holiday("国庆节", date(2026, 10, 1), date(2026, 10, 7), (date(2026, 10, 3),)),),
            ),
            "调休上班日 2026-10-03 在「国庆节」的放假期间内",
        ),
        (
            YearPlan(2026, "official", (Holiday("国庆节", date(2026, 10, 7), date(2026, 10, 1)),)),
            "结束日期 2026-10-01 早于开始日期 2026-10-07",
        ),
        (YearPlan(2026, "maybe"), "应为 official 或 provisional"),
    ],
)
def test_plan_problems(plan: YearPlan, message: str) -> None:
    found = [m for _, _, m in plan_problems(plan)]
    assert any(message in m for m in found), found


def test_a_break_entirely_on_a_weekend_is_fine() -> None:
    # 2015's 中秋节 was Sat 26 – Sun 27 Sep: nothing to store, nothing wrong.
    plan = YearPlan(2015, "official", (Holiday("中秋节", date(2015, 9, 26), date(2015, 9, 27)),))
    assert plan_problems(plan) == []
    assert exceptions_of(plan) == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "不是日期：2026-02-30"),
        ("tomorrow", "不是日期：tomorrow"),
        ("20260930", "不是日期：20260930"),
        ("1999-12-31", "日期应在 2000–2099 年之间"),
    ],
)
def test_parse_date_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text)


def test_parse_days() -> None:
    assert parse_days("0") == 0 and parse_days(" 20 ") == 20
    for bad in ("-1", "3651", "1.5", "五"):
        with pytest.raises(ValueError, match="工作日数"):
            parse_days(bad)


# --- properties over random calendars --------------------------------------------------------

START = date(2026, 1, 1)
days_in_range = st.integers(min_value=0, max_value=730).map(lambda n: START + timedelta(days=n))
calendars = st.dictionaries(
    keys=days_in_range, values=st.sampled_from([HOLIDAY, WORKDAY]), max_size=120
).map(lambda exceptions: Calendar(exceptions, frozenset({2026})))
counts = st.integers(min_value=0, max_value=300)


@given(calendars, days_in_range, st.integers(min_value=1, max_value=300))
def test_the_due_date_is_a_working_day_after_acceptance(
    calendar: Calendar, start: date, days: int
) -> None:
    end = add_working_days(start, days, calendar)
    assert end > start
    assert calendar.is_working_day(end)


@given(calendars, days_in_range, counts, counts)
def test_more_days_never_end_earlier(calendar: Calendar, start: date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert add_working_days(start, low, calendar) <= add_working_days(start, high, calendar)
    if low < high:
        assert add_working_days(start, low, calendar) < add_working_days(start, high, calendar)


@given(calendars, days_in_range, counts, counts)
def test_adding_in_two_steps_is_adding_at_once(
    calendar: Calendar, start: date, a: int, b: int
) -> None:
    in_two = add_working_days(add_working_days(start, a, calendar), b, calendar)
    assert in_two == add_working_days(start, a + b, calendar)


@given(calendars, days_in_range, counts)
def test_working_days_between_undoes_adding(calendar: Calendar, start: date, days: int) -> None:
    end = add_working_days(start, days, calendar)
    assert working_days_between(start, end, calendar) == days


@given(days_in_range.filter(lambda d: d.weekday() < 5))
def test_with_no_exceptions_five_working_days_are_one_week(start: date) -> None:
    # The weekend rule alone (official years without exceptions, so no fixed-date holidays):
    # from any weekday, the 5th working day after is the same weekday a week later.
    years = frozenset(range(start.year, start.year + 2))
    assert add_working_days(start, 5, Calendar(official_years=years)) == start + timedelta(days=7)


@given(calendars, days_in_range)
def test_a_day_is_off_exactly_when_the_rules_say(calendar: Calendar, day: date) -> None:
    kind = calendar.exceptions.get(day)
    expected = kind == WORKDAY or (kind is None and day.weekday() < 5)
    assert is_working_day(day, calendar.exceptions) == expected
