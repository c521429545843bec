"""Cases with a past, made through the services (the way the screens make them), for the screen
tests that need a case already part-way through the back office."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from counter_tui.accounts.service import find_user
from counter_tui.actor import Actor
from counter_tui.cases import backoffice, commands
from counter_tui.cases.intake import RECEIVED, Intake, Mark, Party
from counter_tui.cases.record import CaseRecord
from counter_tui.db import make_engine, write_session
from tests.conftest import HALL
from tests.ui.conftest import NodeDatabase

SITE = "421202-XA-BYQ"


def f5(name: str, id_number: str = "42060219900307123X") -> Intake:
    """F-5 with every material received, for 张三 unless told otherwise."""
    intake = Intake(
        entry_code="F-5",
        applicant=Party(name=name, id_number=id_number, phone="13812345678"),
    )
    for kind in ("application", "resident_id", "floor_plan", "health_certificate"):
        intake = intake.with_mark(kind, Mark(RECEIVED, original_seen=True))
    return intake


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in November 2026, in the machine's zone (the app's fixed clock is 11-23)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=HALL)


@dataclass
class Hall:
    """The intake node's clerk 李四 and approver 王芳 of SCJG, acting through the services."""

    session: Session
    clerk: Actor
    approver: Actor

    def accept(self, name: str, day: int, id_number: str = "42060219900307123X") -> CaseRecord:
        return commands.accept(self.session, self.clerk, f5(name, id_number), now=at(day)).case

    def act(self, who: Actor, action: str, case: CaseRecord, when: datetime, **kw: Any) -> None:
        backoffice.act(self.session, who, action, case.id, now=when, **kw)

    def claimed(
        self, name: str, day: int, claimed_on: int, id_number: str = "42060219900307123X"
    ) -> CaseRecord:
        """Accepted at 10:00 on `day`, handed off at 10:05, claimed by 王芳 at 9:00 on
        `claimed_on`."""
        case = self.accept(name, day, id_number)
        self.act(self.clerk, "hand_off", case, at(day, 10, 5))
        self.act(self.approver, "claim", case, at(claimed_on, 9))
        return case

    def correction(self, case: CaseRecord, when: datetime, kind: str, why: str, by: date) -> None:
        self.act(
            self.approver,
            "request_correction",
            case,
            when,
            corrections=[(kind, why)],
            deadline=by,
        )


def actor(session: Session, username: str, role: str, department: str | None = None) -> Actor:
    user = find_user(session, username, site=SITE)
    assert user is not None
    return Actor(username, role, SITE, user_id=user.id, department=department)


@contextmanager
def hall_on(node: NodeDatabase) -> Iterator[Hall]:
    """The node's Hall in one write transaction, committed at the end of the block."""
    engine = make_engine(node.settings.db_url)
    try:
        with write_session(engine) as session:
            yield Hall(
                session,
                clerk=actor(session, "li", "clerk"),
                approver=actor(session, "wang", "approver", "SCJG"),
            )
    finally:
        engine.dispose()


def long_history(node: NodeDatabase) -> str:
    """张三's F-5 case, back in review after a correction and a suspension (its number).

    11-02 accepted and handed off; 11-03 claimed; 11-04 a correction asked by 11-11 (the clock
    stops); 11-06 the papers come back; 11-09 suspended for an on-site check; 11-12 resumed.
    """
    with hall_on(node) as hall:
        case = hall.claimed("张三", 2, claimed_on=3)
        hall.correction(case, at(4, 15), "application", "缺少经营者签字", date(2026, 11, 11))
        hall.act(hall.clerk, "resubmit", case, at(6, 11))
        hall.act(hall.approver, "suspend", case, at(9, 14), reason="需要现场核查经营场所")
        hall.act(hall.approver, "resume", case, at(12, 16))
    return case.number


def window_cases(node: NodeDatabase) -> list[str]:
    """What the window owes, in order of acceptance: 张三's result ready for delivery since
    11-18, 李四 waiting for corrected papers, 王五 accepted 11-20 and not yet handed off."""
    with hall_on(node) as hall:
        done = hall.claimed("张三", 2, claimed_on=3)
        hall.act(hall.approver, "approve", done, at(16, 9), decision_number="SCJG-2026-0815")
        hall.act(hall.approver, "complete", done, at(18, 9))
        waiting = hall.claimed("李四", 9, claimed_on=10, id_number="110101199003074514")
        hall.correction(waiting, at(10, 15), "floor_plan", "平面图未标注尺寸", date(2026, 11, 30))
        fresh = hall.accept("王五", 20, id_number="110101199003075410")
    return [done.number, waiting.number, fresh.number]


def handed_off_cases(node: NodeDatabase) -> list[str]:
    """Three F-5 cases handed to SCJG: accepted 11-02 (overdue on 11-23), 11-09 (due 11-23,
    the app's fixed day) and 11-20 (plenty of time)."""
    numbers = []
    with hall_on(node) as hall:
        for name, day in (("张三", 2), ("李四", 9), ("王五", 20)):
            case = hall.accept(name, day)
            hall.act(hall.clerk, "hand_off", case, at(day))
            numbers.append(case.number)
    return numbers
