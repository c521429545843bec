"""Playing the shipped scenarios through the services, as a trainee's right steps would record
them: one function per scenario (PLAYERS), each doing only what the scenario asks.

The app's screens call the same services (through desk/), so a scenario these plays complete is
one a trainee can complete; tests/ui/test_training_scenarios.py drives the same by keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from counter_tui.actor import Actor
from counter_tui.cases import backoffice, commands
from counter_tui.cases.intake import DEFERRED, MISSING, Intake, Mark, Party
from counter_tui.db import write_session
from counter_tui.demo.givens_apply import id_number
from counter_tui.demo.intakes import complete_intake
from counter_tui.demo.training import Outcome, ScenarioRun
from counter_tui.feedback.followups import take_step
from counter_tui.queue import appointments
from counter_tui.queue import commands as queue
from counter_tui.queue.models import QueueAppointment, QueueTicket
from counter_tui.workdays.service import due_date
from tests.conftest import HALL

#: A Tuesday morning, a working day in the shipped calendar.
START = datetime(2026, 12, 8, 10, 0, tzinfo=HALL)
WINDOW = "1"

ELDERLY_ALLOWANCE = "11420610MB1044590A40500604000"
PENSION_CLAIM = "11420610MB1620375F40500402000"
VENUE_PERMIT = "11420610MB1C33913240100807000"
RESALE_TRANSFER = "12420610MB1F05288W40700901000"
NEWBORN = "YJS-CS"


class Clock:
    """The demo's clock in a test: moves only when told (each step takes 20 seconds)."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: int = 20) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@dataclass
class Play:
    """One scenario being played: the run, its database and clock, and the trainee's actors."""

    run: ScenarioRun
    engine: Engine
    site: str
    clock: Clock
    outcomes: list[Outcome] = field(default_factory=list)

    def actor(self, role: str) -> Actor:
        names = {"clerk": "clerk", "trainer": "demo", "supervisor": "ducha"}
        return Actor(username=names[role], role=role, site=self.site, window=WINDOW)

    @property
    def trainee(self) -> Actor:
        return self.actor(self.run.scenario.account)

    def do(self, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """One service call as the trainee, a step later on the clock; then the run looks."""
        with write_session(self.engine) as session:
            result = service(session, self.trainee, *args, now=self.clock.tick(), **kwargs)
        self.outcomes += self.run.observe()
        return result

    def intake(self, code: str, name: str, serial: int) -> Intake:
        with write_session(self.engine) as session:
            party = Party(name=name, id_number=id_number(serial), phone="13912345678")
            return complete_intake(session, code, party)

    def label(self, name: str) -> str:
        return self.run.labels[name]

    def ticket(self, ticket_id: str) -> QueueTicket:
        with write_session(self.engine) as session:
            row = session.get(QueueTicket, ticket_id)
            assert row is not None
            session.expunge(row)
            return row

    def serve_until(self, wanted: Callable[[QueueTicket], bool]) -> QueueTicket:
        """Call next and finish each ticket until one that `wanted` is called and finished (the
        hall may have others ahead: a trainee serves them too)."""
        for _ in range(30):
            called = self.do(queue.call_next, WINDOW)
            assert called is not None, "nobody waits"
            row = self.ticket(called.id)
            self.do(queue.finish, WINDOW, "consulted")
            if wanted(row):
                return row
        raise AssertionError("the wanted ticket was never called")


def routine_intake(p: Play) -> None:
    p.do(queue.call_next, WINDOW)
    p.do(commands.accept, p.intake(ELDERLY_ALLOWANCE, "王秀英", 11))
    p.do(queue.finish, WINDOW, "accepted")


def notice_and_return(p: Play) -> None:
    complete = p.intake(PENSION_CLAIM, "李建国", 12)
    lacking = complete.with_mark("social_security_card", Mark(MISSING))
    case = p.do(commands.notify, lacking).case
    p.do(commands.accept, complete, case_id=case.id)


def deferred_commitment(p: Play) -> None:
    intake = p.intake(VENUE_PERMIT, "钱丽萍", 13)
    with write_session(p.engine) as session:
        due = due_date(session, p.clock.now.date(), 5).date
    p.do(commands.accept, intake.with_mark("site_layout_plan", Mark(DEFERRED, until=due)))


def bundle_newborn(p: Play) -> None:
    case = p.do(commands.accept, p.intake(NEWBORN, "赵伟", 14)).case
    p.do(backoffice.hand_off, case.id)


def refusal_elsewhere(p: Play) -> None:
    p.do(
        commands.refuse,
        p.intake(RESALE_TRANSFER, "孙丽", 15),
        reasons="房屋坐落在樊城区，不属于本区不动产登记机构的管辖范围",
        competent_agency="襄阳市樊城区不动产登记中心",
    )


def handoff_correction(p: Play) -> None:
    case_id = p.label("case")
    p.do(backoffice.hand_off, case_id)
    p.do(backoffice.claim, case_id)
    p.do(
        backoffice.request_correction,
        case_id,
        corrections=[("form_elderly_allowance", "出生日期与身份证不一致，请重新填写")],
        deadline=p.clock.now.date() + timedelta(days=7),
    )
    p.do(backoffice.resubmit, case_id)


def busy_queue(p: Play) -> None:
    with write_session(p.engine) as session:
        booked = session.get(QueueAppointment, p.label("appt"))
        assert booked is not None
        code = booked.code
    p.do(appointments.check_in, code)
    p.serve_until(lambda row: row.appointment_id is not None)
    p.serve_until(lambda row: row.priority)
    p.do(queue.call_next, WINDOW)
    p.clock.tick(30)  # a recall waits 30 seconds after the call
    p.do(queue.recall, WINDOW)
    p.do(queue.no_show, WINDOW)


def mail_delivery(p: Play) -> None:
    p.do(
        backoffice.deliver,
        p.label("case"),
        backoffice.Delivery(
            method="mail",
            address="襄阳市岘山区岘首路 18 号 3 栋 201",
            carrier="中国邮政 EMS",
            tracking="1180023456789",
        ),
    )


def bad_rating_followup(p: Play) -> None:
    rating = p.label("bad")
    p.do(take_step, rating, "verify", "电话回访：复印材料排队时间长，情况属实")
    p.do(take_step, rating, "fix", "窗口增设自助复印机，材料免费复印")
    p.do(take_step, rating, "close", "已电话告知申请人整改情况，申请人表示满意")


PLAYERS: dict[str, Callable[[Play], None]] = {
    "routine-intake": routine_intake,
    "notice-and-return": notice_and_return,
    "deferred-commitment": deferred_commitment,
    "bundle-newborn": bundle_newborn,
    "refusal-elsewhere": refusal_elsewhere,
    "handoff-correction": handoff_correction,
    "busy-queue": busy_queue,
    "mail-delivery": mail_delivery,
    "bad-rating-followup": bad_rating_followup,
}
