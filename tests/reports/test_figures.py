"""reports.figures on the hand-computed fixture month (tests/reports/month.py), on both engines.

Every expected number below is worked out by hand from month.py's tables, not by the code.
"""

from __future__ import annotations

from datetime import date

import pytest

from counter_tui.db import read_session
from counter_tui.reports.figures import Figures, Period, Scope, daily_series, figures, ranking
from tests.conftest import SITE, Node
from tests.reports import month

TODAY = date(2026, 12, 2)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def hall(node: Node) -> Node:
    month.load(node.engine)
    return node


def _figures(node: Node, scope: Scope, period: Period) -> Figures:
    with read_session(node.engine) as session:
        return figures(session, scope, period, today=TODAY)


def test_the_month_of_the_hall(hall: Node) -> None:
    f = _figures(hall, Scope(site=SITE), NOVEMBER)
    assert (f.tickets, f.tickets_served) == (30, 25)
    # 27 waits summing 188 min: 417.77… s; the 25th of 27 sorted is 20 min.
    assert (f.wait_avg_s, f.wait_p90_s) == (417.8, 1200.0)
    # Accepted: cases 1–10, 13, 14, 17, 18, 20; finished: 1–7, 11, 13, 20.
    assert (f.accepted, f.completed, f.completed_on_time) == (15, 10, 8)
    assert f.one_trip == 7 and f.one_trip_rate == pytest.approx(0.7)
    assert f.on_time_rate == pytest.approx(0.8)
    # At the close of the 30th: 8 and 14 (open), 12 (finished 1 Dec), 19 (suspended).
    assert f.overdue_open == 4
    assert f.hard_cases_open == 2  # 办不成事 2 and 3 (month.HARD_CASES)


def test_a_day_and_a_week(hall: Node) -> None:
    day = _figures(hall, Scope(site=SITE), Period.day(date(2026, 11, 23)))
    assert (day.tickets, day.tickets_served) == (8, 6)
    assert (day.wait_avg_s, day.wait_p90_s) == (394.3, 1200.0)  # 46 min / 7; the 7th of 7
    # Case 4 finished at 00:30 on the 24th local is not the 23rd's, case 10 not accepted then.
    assert (day.accepted, day.completed, day.completed_on_time, day.one_trip) == (2, 1, 1, 1)
    assert day.overdue_open == 3  # 7 (finished the 25th), 12, 19
    assert day.hard_cases_open == 1  # 3 (opened in October); 2 is opened on the 25th
    week = _figures(hall, Scope(site=SITE), Period(date(2026, 11, 23), date(2026, 11, 29)))
    assert (week.tickets, week.tickets_served) == (12, 10)
    assert (week.wait_avg_s, week.wait_p90_s) == (398.2, 900.0)  # 73 min / 11; 10th of 11
    assert (week.accepted, week.completed, week.completed_on_time, week.one_trip) == (4, 3, 2, 2)
    assert week.overdue_open == 4  # 8, 12, 14, 19


def test_scopes_say_what_they_cannot_count(hall: Node) -> None:
    department = _figures(hall, Scope(site=SITE, department="BDC"), NOVEMBER)
    assert department.tickets is None and department.wait_avg_s is None
    assert (department.accepted, department.completed, department.overdue_open) == (2, 2, 2)
    window = _figures(hall, Scope(site=SITE, window="3"), NOVEMBER)
    assert (window.tickets, window.tickets_served, window.wait_p90_s) == (6, 6, 1800.0)
    assert window.accepted is None and window.one_trip_rate is None
    clerk = _figures(hall, Scope(site=SITE, clerk="wang"), NOVEMBER)
    assert (clerk.tickets, clerk.tickets_served) == (10, 9)
    assert (clerk.accepted, clerk.completed, clerk.completed_on_time, clerk.one_trip) == (
        3,
        4,
        3,
        4,
    )
    assert clerk.overdue_open == 2
    assert clerk.hard_cases_open == 1  # wang opened 2
    assert (department.hard_cases_open, window.hard_cases_open) == (0, 0)  # neither has any


def test_rankings(hall: Node) -> None:
    with read_session(hall.engine) as session:
        departments = ranking(session, "department", Scope(site=SITE), NOVEMBER, today=TODAY)
        windows = ranking(session, "window", Scope(site=SITE), NOVEMBER, today=TODAY)
        clerks = ranking(session, "clerk", Scope(site=SITE), NOVEMBER, today=TODAY)
    assert [(r.rank, r.label, r.figures.accepted) for r in departments] == [
        (1, "市场监管局", 7),
        (2, "人社局", 6),
        (3, "不动产登记中心", 2),
    ]
    rs = departments[1].figures
    assert (rs.completed, rs.completed_on_time, rs.one_trip, rs.overdue_open) == (5, 4, 4, 1)
    assert rs.tickets is None
    assert [(r.label, r.figures.tickets, r.figures.tickets_served) for r in windows] == [
        ("1 号窗口", 11, 10),
        ("2 号窗口", 10, 9),
        ("3 号窗口", 6, 6),
    ]
    # Window 1: 35 min over 11 waits, the 10th of 11 sorted is 5 min; window 2: 52 / 10, 9th.
    assert [(r.figures.wait_avg_s, r.figures.wait_p90_s) for r in windows[:2]] == [
        (190.9, 300.0),
        (312.0, 600.0),
    ]
    assert windows[0].figures.accepted is None
    assert [(r.key, r.label, r.figures.tickets_served, r.figures.accepted) for r in clerks] == [
        ("li", "李明", 10, 7),
        ("wang", "王芳", 9, 3),
        ("zhao", "赵强", 6, 5),
    ]
    # li opened 3 (open at the close) and 1 (closed on the 20th); zhao's 4 is December's.
    assert [r.figures.hard_cases_open for r in clerks] == [1, 1, 0]
    zhao = clerks[2].figures
    assert (zhao.completed, zhao.completed_on_time, zhao.one_trip, zhao.overdue_open) == (
        2,
        1,
        0,
        2,
    )


def test_the_daily_series(hall: Node) -> None:
    with read_session(hall.engine) as session:
        points = daily_series(session, Scope(site=SITE), date(2026, 11, 30), days=30)
    assert len(points) == 30 and points[0].day == date(2026, 11, 1)
    by_day = {p.day: p for p in points}
    assert (by_day[date(2026, 11, 2)].tickets, by_day[date(2026, 11, 2)].tickets_served) == (10, 8)
    # The 2nd: cases 1, 2, 6 accepted; 1 and 11 finished.
    assert (by_day[date(2026, 11, 2)].accepted, by_day[date(2026, 11, 2)].completed) == (3, 2)
    # Case 4 finished on the 24th local; case 10 accepted on the 25th local.
    assert by_day[date(2026, 11, 24)].completed == 1
    assert by_day[date(2026, 11, 25)].accepted == 2  # 10 and 14
    assert sum(p.accepted for p in points) == 15
    assert sum(p.tickets for p in points) == 30
    # Ratings (month.RATINGS): the 2nd 6 and 7; the 12th 9 and 11; the 16th only 8, 误评; the
    # 23rd 1–4; the 25th 5; the 30th 10 (00:30 local, the 29th in UTC). 好评: levels 1–3.
    ratings = {p.day.day: (p.ratings, p.good) for p in points if p.ratings}
    assert ratings == {2: (2, 1), 12: (2, 0), 23: (4, 2), 25: (1, 1), 30: (1, 1)}
    assert (sum(p.ratings for p in points), sum(p.good for p in points)) == (10, 5)
    # A clerk's line: wang rated 2, 3 on the 23rd and 7 on the 2nd (8 is 误评).
    with read_session(hall.engine) as session:
        wang = daily_series(session, Scope(site=SITE, clerk="wang"), date(2026, 11, 30))
    assert {p.day.day: (p.ratings, p.good) for p in wang if p.ratings} == {2: (1, 0), 23: (2, 1)}
