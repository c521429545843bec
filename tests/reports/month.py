"""The hand-computed fixture month, November 2026, of one hall (tests/conftest.SITE): the
projection rows of 30 tickets and 20 cases, written straight into their tables (the reports
read projections; how events become these rows is tested with each capability).

Every expected figure in test_figures.py and test_reports.py was worked out by hand from the
tables below; the comments carry the working. Times are hall-local (UTC+8). Monday 2026-11-23.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, update

from tests.conftest import HALL, SITE

DEPARTMENTS = {"RS": "人社局", "SC": "市场监管局", "BDC": "不动产登记中心"}
#: user name → display name; a window per clerk: li at 1, wang at 2, zhao at 3.
CLERKS = {"li": "李明", "wang": "王芳", "zhao": "赵强"}
WINDOW_OF = {"li": "1", "wang": "2", "zhao": "3"}

#: (ticket, day, clerk or None = never called, wait in minutes, finished). The wait of ticket
#: 30 is -1: its window PC's clock was behind, so its wait counts as 0.
TICKETS: list[tuple[int, date, str | None, int, bool]] = [
    # Monday 23rd: 8 tickets, 6 finished; waits 1 2 3 4 6 10 20 (sum 46, p90 = 7th = 20).
    (1, date(2026, 11, 23), "li", 2, True),
    (2, date(2026, 11, 23), "li", 4, True),
    (3, date(2026, 11, 23), "wang", 6, True),
    (4, date(2026, 11, 23), "wang", 10, True),
    (5, date(2026, 11, 23), "li", 3, False),
    (6, date(2026, 11, 23), "zhao", 20, True),
    (7, date(2026, 11, 23), None, 0, False),
    (8, date(2026, 11, 23), "wang", 1, True),
    # Wednesday 25th: 4 tickets, all finished; waits 5 7 15 0.
    (9, date(2026, 11, 25), "li", 5, True),
    (10, date(2026, 11, 25), "li", 7, True),
    (11, date(2026, 11, 25), "zhao", 15, True),
    (12, date(2026, 11, 25), "wang", 0, True),
    # Monday 2nd: 10 tickets, 8 finished; waits 1 2 3 4 5 6 8 30.
    (13, date(2026, 11, 2), "li", 1, True),
    (14, date(2026, 11, 2), "li", 2, True),
    (15, date(2026, 11, 2), "li", 3, True),
    (16, date(2026, 11, 2), "wang", 4, True),
    (17, date(2026, 11, 2), "wang", 5, True),
    (18, date(2026, 11, 2), "wang", 6, True),
    (19, date(2026, 11, 2), "zhao", 8, True),
    (20, date(2026, 11, 2), "zhao", 30, True),
    (21, date(2026, 11, 2), None, 0, False),
    (22, date(2026, 11, 2), None, 0, False),
    # Thursday 12th: 8 tickets, 7 finished; waits 2 2 9 11 25 3 4 0.
    (23, date(2026, 11, 12), "li", 2, True),
    (24, date(2026, 11, 12), "li", 2, True),
    (25, date(2026, 11, 12), "wang", 9, True),
    (26, date(2026, 11, 12), "wang", 11, False),
    (27, date(2026, 11, 12), "zhao", 25, True),
    (28, date(2026, 11, 12), "zhao", 3, True),
    (29, date(2026, 11, 12), "li", 4, True),
    (30, date(2026, 11, 12), "wang", -1, True),
]


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=HALL)


#: (case, department, clerk, accepted, due, completed, state, trips). Notes on each line.
CASES: list[tuple[int, str, str, datetime | None, date | None, datetime | None, str, int]] = [
    (1, "RS", "li", at(11, 2), date(2026, 11, 2), at(11, 2, 10, 30), "delivered", 1),
    (2, "RS", "li", at(11, 2), date(2026, 11, 16), at(11, 12), "delivered", 2),
    # Finished a day late.
    (3, "RS", "wang", at(11, 3), date(2026, 11, 17), at(11, 18), "delivered", 1),
    # Finished at 00:30 on the 24th local, still the 23rd in UTC: a day of the 24th.
    (4, "RS", "wang", at(11, 12), date(2026, 11, 26), at(11, 24, 0, 30), "completed", 1),
    (5, "RS", "li", at(11, 23), date(2026, 11, 23), at(11, 23, 11), "delivered", 1),
    # Finished at 23:59 on its due day: on time.
    (6, "SC", "wang", at(11, 2), date(2026, 11, 16), at(11, 16, 23, 59), "delivered", 1),
    # Late, and two trips.
    (7, "SC", "zhao", at(11, 9), date(2026, 11, 20), at(11, 25), "completed", 2),
    # Open and past due from the 25th.
    (8, "SC", "zhao", at(11, 10), date(2026, 11, 24), None, "in_review", 1),
    (9, "SC", "li", at(11, 23), date(2026, 12, 7), None, "handed_off", 1),
    # Accepted at 00:10 on the 25th local (the 24th in UTC).
    (10, "SC", "li", at(11, 25, 0, 10), date(2026, 12, 9), None, "accepted", 1),
    # Accepted in October, finished in November (early).
    (11, "BDC", "wang", at(10, 20), date(2026, 11, 3), at(11, 2), "delivered", 1),
    # Accepted in October, due the 11th, finished only on 1 December: overdue all month.
    (12, "BDC", "wang", at(10, 28), date(2026, 11, 11), at(12, 1), "completed", 3),
    # Finished on its due day, two trips.
    (13, "BDC", "zhao", at(11, 16), date(2026, 11, 30), at(11, 30, 15), "delivered", 2),
    # Waiting for corrections, past due from the 28th.
    (14, "BDC", "zhao", at(11, 25), date(2026, 11, 27), None, "correction_requested", 1),
    # Turned away with a one-time notice, and refused: never accepted.
    (15, "RS", "li", None, None, None, "notified", 1),
    (16, "SC", "wang", None, None, None, "refused", 1),
    # Accepted, then withdrawn.
    (17, "RS", "zhao", at(11, 12), date(2026, 11, 19), None, "withdrawn", 1),
    (18, "SC", "li", at(11, 30), date(2026, 12, 14), None, "accepted", 1),
    # Suspended (中止) since September: overdue in every period.
    (19, "RS", "wang", at(9, 1), date(2026, 9, 15), None, "suspended", 1),
    # 即办件 with the result posted: no trip.
    (20, "SC", "li", at(11, 20), date(2026, 11, 20), at(11, 20, 10, 20), "delivered", 0),
]


#: (rating, kind, day, clerk, window, department, level or None, given, follow-up state).
#: November, less 8 (误评) and 12 (October): 10 ratings, 7 given (3 and 9 未评价, 10 a default),
#: 好评 1 2 5 6 10 = 5, given 好评 1 2 5 6 = 4, 差评 4 7 11 = 3. Unfinished follow-ups made by
#: the 30th: 4, 11, 12.
RATINGS: list[tuple[int, str, date, str, str, str, int | None, bool, str | None]] = [
    (1, "service", date(2026, 11, 23), "li", "1", "", 1, True, None),
    (2, "service", date(2026, 11, 23), "wang", "2", "", 2, True, None),
    (3, "service", date(2026, 11, 23), "wang", "2", "", None, False, None),
    (4, "case", date(2026, 11, 23), "li", "1", "RS", 4, True, "open"),
    (5, "service", date(2026, 11, 25), "zhao", "3", "", 3, True, None),
    (6, "service", date(2026, 11, 2), "li", "1", "", 1, True, None),
    (7, "service", date(2026, 11, 2), "wang", "2", "", 5, True, "closed"),
    # Appealed and found mistaken (误评): in no figure.
    (8, "case", date(2026, 11, 16), "wang", "", "SC", 5, True, "mistaken"),
    (9, "service", date(2026, 11, 12), "zhao", "3", "", None, False, None),
    # A default rating (默认): a rating and 好评, never given.
    # Recorded at 00:30 on the 30th local, still the 29th in UTC: a rating of the 30th.
    (10, "case", date(2026, 11, 30), "zhao", "", "BDC", 2, False, None),
    (11, "service", date(2026, 11, 12), "li", "1", "", 4, True, "verified"),
    (12, "case", date(2026, 10, 30), "wang", "", "RS", 5, True, "open"),
]

#: The hour and minute a rating was given, when not 16:00.
RATED_AT = {10: (0, 30)}
#: The case a 一事一评 rating is about (its number goes on the rating); rating 12 came by phone.
CASE_OF = {4: 5, 8: 6, 10: 13, 12: 19}
CHANNEL_OF = {12: "phone"}

#: Follow-ups: owner (the case's department, "hall" for a ticket alone) is the rating's
#: department; due 7 days after the rating. When each step was taken (hall-local, 11:00):
#: 7 called back (回访核实) on the 3rd, fixed the 5th, closed the 6th; 11 called back only on
#: the 24th; 8 appealed (误评) on the 18th; 4 and 12 never called back.
#: 差评未回访清单 and 差评回访率 (reports.rules), 应回访 = the period's bad ratings (not 误评)
#: plus earlier ones not called back when it began:
#: - November: 4, 7, 11 + 12 (October, open) = 4; called back by the 30th: 7, 11 = 2 (50 %);
#:   waiting: 12 (due 6 Nov, 超期), 4 (due the 30th, the last day: not 超期).
#: - 11–20 (旬): 11 + 12 = 2 (7 was called back on the 3rd); none called back by the 20th (11
#:   on the 24th): 12 (超期), 11 (due the 19th, 超期); 0 %.
#: - 21–30 (旬): 4 + 11, 12 = 3; 11 called back (1 of 3, 33.3 %); waiting 12 (超期), 4.
#: - week 23–29: the same 3, 11 called back; waiting 12 (超期), 4 (due the 30th: not yet).
#: - the 23rd: 4 + 11, 12 = 3; none called back that day: 12, 11 (超期 both), 4.
#: - December 1–2 (running): 4 and 12 from November, both 超期 by the 2nd; 0 of 2.
STEPS_OF: dict[int, dict[str, date]] = {
    7: {
        "verified_at": date(2026, 11, 3),
        "fixed_at": date(2026, 11, 5),
        "closed_at": date(2026, 11, 6),
    },
    11: {"verified_at": date(2026, 11, 24)},
    8: {"appealed_at": date(2026, 11, 18), "closed_at": date(2026, 11, 18)},
}


#: 办不成事 (n, opened, by, closed or None). Open at the close of 30 Nov: 2 and 3 (closed 1
#: Dec); 1 closed on the 20th; 4 opened on 1 Dec. At the close of the 23rd: 3 only.
HARD_CASES: list[tuple[int, date, str, date | None]] = [
    (1, date(2026, 11, 5), "li", date(2026, 11, 20)),
    (2, date(2026, 11, 25), "wang", None),
    (3, date(2026, 10, 28), "li", date(2026, 12, 1)),
    (4, date(2026, 12, 1), "zhao", None),
]


def load(engine: Engine) -> None:
    """Write the month's rows (departments, clerks, tickets, cases) into `engine`'s node."""
    from counter_tui.accounts.models import UserAccount
    from counter_tui.cases.models import Case
    from counter_tui.catalog.models import CatalogDepartment, CatalogVersion
    from counter_tui.feedback.models import HardCase, Rating, RatingFollowup
    from counter_tui.queue.models import QueueTicket
    from counter_tui.site.models import Node

    now = datetime(2026, 12, 2, 9, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            insert(CatalogVersion),
            [
                dict(
                    id="v1",
                    number=1,
                    label="1",
                    name="测试目录",
                    digest="d" * 64,
                    imported_at=now,
                    imported_by="test",
                    items=0,
                    bundles=0,
                    active=True,
                )
            ],
        )
        conn.execute(
            insert(CatalogDepartment),
            [dict(version_id="v1", code=c, name=n) for c, n in DEPARTMENTS.items()],
        )
        conn.execute(
            insert(UserAccount),
            [
                dict(
                    id=f"u-{user}",
                    username=user,
                    display_name=name,
                    role="clerk",
                    site=SITE,
                    password_hash="x",
                    created_at=now,
                )
                for user, name in CLERKS.items()
            ],
        )
        conn.execute(insert(QueueTicket), [_ticket(*t) for t in TICKETS])
        conn.execute(insert(Case), [_case(*c) for c in CASES])
        conn.execute(insert(Rating), [_rating(*r) for r in RATINGS])
        conn.execute(
            insert(RatingFollowup),
            [_followup(r[0], r[2], r[5], r[8]) for r in RATINGS if r[8] is not None],
        )
        conn.execute(insert(HardCase), [_hard_case(*h) for h in HARD_CASES])
        # The node was set up before the month (its row is written by `init` at today's date).
        conn.execute(update(Node).values(created_at=datetime(2026, 9, 1, tzinfo=UTC)))


def _ticket(n: int, day: date, clerk: str | None, wait: int, finished: bool) -> dict[str, Any]:
    issued = datetime(day.year, day.month, day.day, 9, tzinfo=HALL) + timedelta(minutes=n)
    called = issued + timedelta(minutes=wait) if clerk else None
    state = "finished" if finished else ("no_show" if clerk else "waiting")
    return dict(
        id=f"t-{n:02d}",
        site=SITE,
        day=day,
        issued_category="A",
        seq=n,
        number=f"A{n:03d}",
        category="A",
        state=state,
        issued_at=issued,
        queued_at=issued,
        window=WINDOW_OF[clerk] if clerk else "",
        first_called_at=called,
        called_at=called,
        calls=1 if clerk else 0,
        clerk=clerk or "",
        finished_at=called + timedelta(minutes=5) if finished and called else None,
        updated_at=issued,
    )


def _case(
    n: int,
    department: str,
    clerk: str,
    accepted: datetime | None,
    due: date | None,
    completed: datetime | None,
    state: str,
    trips: int,
) -> dict[str, Any]:
    created = accepted or at(11, 2)
    return dict(
        id=f"c-{n:02d}",
        number=f"{SITE}-261101-{n:04d}",
        site=SITE,
        state=state,
        entry_code="E",
        entry_kind="item",
        entry_name="事项",
        item_codes="[]",
        department=department,
        applicant_key_type="111",
        applicant_key=f"K{n}",
        applicant_name="张三",
        intake="{}",
        clerk=CLERKS[clerk],
        created_at=created,
        accepted_at=accepted,
        due=due,
        completed_at=completed,
        updated_at=created,
        trips=trips,
    )


def _rating(
    n: int,
    kind: str,
    day: date,
    clerk: str,
    window: str,
    department: str,
    level: int | None,
    given: bool,
    followup: str | None,
) -> dict[str, Any]:
    return dict(
        id=f"r-{n:02d}",
        site=SITE,
        kind=kind,
        case_id=f"c-{CASE_OF[n]:02d}" if n in CASE_OF else None,
        case_number=f"{SITE}-261101-{CASE_OF[n]:04d}" if n in CASE_OF else "",
        channel=CHANNEL_OF.get(n, "window"),
        level=level,
        given=given,
        clerk=clerk,
        window=window,
        department=department,
        recorded_by=clerk,
        rated_at=datetime(day.year, day.month, day.day, *RATED_AT.get(n, (16, 0)), tzinfo=HALL),
    )


def _followup(n: int, day: date, department: str, state: str) -> dict[str, Any]:
    opened = datetime(day.year, day.month, day.day, 16, tzinfo=HALL)
    # Every row names every step: one insert of many rows takes its columns from the first.
    steps: dict[str, datetime | None] = dict.fromkeys(
        ("verified_at", "fixed_at", "closed_at", "appealed_at")
    )
    for name, d in STEPS_OF.get(n, {}).items():
        steps[name] = datetime(d.year, d.month, d.day, 11, tzinfo=HALL)
    return dict(
        rating_id=f"r-{n:02d}",
        site=SITE,
        owner=department or "hall",
        due=day + timedelta(days=7),
        state=state,
        opened_at=opened,
        updated_at=opened,
        **steps,
    )


def _hard_case(n: int, day: date, by: str, closed: date | None) -> dict[str, Any]:
    opened = datetime(day.year, day.month, day.day, 10, tzinfo=HALL)
    return dict(
        id=f"h-{n:02d}",
        site=SITE,
        number=f"BC-{day:%y%m%d}-{n:02d}",
        day=day,
        seq=n,
        state="open" if closed is None else "closed",
        kind="policy",
        problem="问题",
        applicant_name="张三",
        origin="walk_in",
        opened_at=opened,
        opened_by=by,
        closed_at=None
        if closed is None
        else datetime(closed.year, closed.month, closed.day, 15, tzinfo=HALL),
        updated_at=opened,
    )
