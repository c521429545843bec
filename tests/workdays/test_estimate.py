"""A year with no published arrangement: its statutory holidays, lunar ones included, are
estimated (issue 12, point 2), so a provisional due date skips the Spring Festival."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

from counter_tui.workdays.estimate import estimated_days_off, statutory_holidays
from counter_tui.workdays.lunar import TABLE
from counter_tui.workdays.rules import WORKDAY, Calendar, DueDate, add_working_days, due
from tests.workdays.lunar_table import FIRST_YEAR, LAST_YEAR, table_rows


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_the_2027_statutory_holidays_by_the_2024_rules() -> None:
    """Checked by hand against the lunar calendar: 除夕 is Fri 2027-02-05, 清明 Mon 04-05, 端午
    Wed 06-09, 中秋 Wed 09-15. A holiday on a weekend gets a weekday off after its break (补假)."""
    expected = {
        date(2027, 1, 1): "元旦",
        # 除夕 + 初一…初三 (Fri–Mon); Sat and Sun are made good on Tue 9 and Wed 10.
        **{d: "春节" for d in days(date(2027, 2, 5), date(2027, 2, 10))},
        date(2027, 4, 5): "清明节",
        # 5-1 and 5-2 fall on Sat and Sun: Mon 3 and Tue 4 off.
        **{d: "劳动节" for d in days(date(2027, 5, 1), date(2027, 5, 4))},
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        # 10-2 and 10-3 fall on Sat and Sun: Mon 4 and Tue 5 off.
        **{d: "国庆节" for d in days(date(2027, 10, 1), date(2027, 10, 5))},
    }
    assert statutory_holidays(2027) == expected
    assert estimated_days_off(2027) == frozenset(expected)


def test_the_estimate_has_no_make_up_days_of_a_published_arrangement() -> None:
    # 2026's published 调休 (02-20 and 02-23 off for 02-14 and 02-28 worked) are not law.
    off = statutory_holidays(2026)
    assert date(2026, 2, 20) not in off and date(2026, 2, 23) not in off
    assert [d for d, name in off.items() if name == "春节"] == days(
        date(2026, 2, 16), date(2026, 2, 19)
    )


def test_sixty_working_days_from_december_skip_the_2027_spring_festival() -> None:
    """2026-12-01 (Tue) + 60: December 2–31 has 22 working days; January 2027 20 (元旦 off);
    February 1–4 four (除夕 5th, 8th–10th off), 11–12 two, 15–19 five, 22–26 five: 53+5 = 58;
    Mon 03-01 is the 59th, Tue 03-02 the 60th. The weekend rule alone said 02-24."""
    calendar = Calendar(official_years=frozenset({2026}), estimate=estimated_days_off)

    assert due(date(2026, 12, 1), 60, calendar) == DueDate(date(2027, 3, 2), (2027,))
    assert not calendar.is_working_day(date(2027, 2, 10))
    assert calendar.is_working_day(date(2027, 2, 11))
    assert due(date(2026, 12, 1), 60, Calendar(official_years=frozenset({2026}))).date == date(
        2027, 2, 24
    )


def test_the_estimate_is_asked_once_per_unofficial_year_only() -> None:
    asked: list[int] = []

    def estimate(year: int) -> frozenset[date]:
        asked.append(year)
        return estimated_days_off(year)

    calendar = Calendar(official_years=frozenset({2026}), estimate=estimate)
    add_working_days(date(2026, 1, 5), 500, calendar)
    assert asked == [2027]


def test_a_provisional_arrangement_wins_over_the_estimate() -> None:
    # A provisional file says Tue 2027-02-09 is worked (say, a different break): it is.
    calendar = Calendar({date(2027, 2, 9): WORKDAY}, estimate=estimated_days_off)
    assert calendar.is_working_day(date(2027, 2, 9))
    assert not calendar.is_working_day(date(2027, 2, 8))


def test_a_year_the_package_cannot_estimate_keeps_the_fixed_date_holidays() -> None:
    calendar = Calendar(estimate=lambda year: frozenset())
    assert not calendar.is_working_day(date(2027, 10, 1))
    assert calendar.is_working_day(date(2027, 2, 8))


def test_the_shipped_table_is_what_the_holidays_package_says() -> None:
    """lunar.py is made by tests/workdays/lunar_table.py; on a difference, make it again."""
    assert TABLE.strip().splitlines() == table_rows()


def test_the_estimate_is_the_holidays_package_less_its_make_up_days() -> None:
    """Every year of the table: the same days off as holidays.China (less the 调休 days off of
    the years whose arrangement it knows), 补假 included."""
    import holidays

    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        found = holidays.China(years=year, language="en_US")
        law = {d for d in found if any(not n.startswith("Day off") for n in found.get_list(d))}
        assert set(statutory_holidays(year)) == law, year


def test_two_holidays_on_one_weekend_day_owe_two_days() -> None:
    # 2039: 中秋节 falls on Sunday 10-02 inside 国庆节 (Sat 10-01 … Mon 10-03).
    off = statutory_holidays(2039)
    assert [d for d in off if d.month == 10] == days(date(2039, 10, 1), date(2039, 10, 6))


def test_years_outside_the_table_have_no_estimate() -> None:
    assert statutory_holidays(2024) == {} and statutory_holidays(2100) == {}


def test_estimating_imports_no_package() -> None:
    """Neither the app's start nor a provisional due date imports `holidays` (~0.15-0.35 s,
    ~20 MB): the lunar dates are a shipped table."""
    program = """
import sys
from datetime import date
import counter_tui.ui.app, counter_tui.workdays.service
from counter_tui.workdays.estimate import estimated_days_off
from counter_tui.workdays.rules import Calendar, add_working_days
calendar = Calendar(official_years=frozenset({2026}), estimate=estimated_days_off)
print(add_working_days(date(2026, 12, 1), 60, calendar), "holidays" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2027-03-02", "False"]
