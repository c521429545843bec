"""Today's work of one window and its clerk (F4, 今日办理): the tickets the window dealt with
today and every case the clerk took a step on today (accepted, notified, refused, handed off,
took corrected papers, delivered …) or that a ticket of the window produced, each with its state.

Read only: the queue's tables are read here, never written (queue.commands writes them), and a
case is listed from its timeline (`case_step`), so nothing new is stored to know what was done.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from counter_tui.actor import Actor
from counter_tui.cases.lifecycle import state_label
from counter_tui.cases.models import Case, CaseStep
from counter_tui.cases.worklist import OPEN_STATES, applicant_for
from counter_tui.clock import hall_zone, to_local
from counter_tui.queue.commands import OUTCOMES
from counter_tui.queue.models import QueueTicket
from counter_tui.queue.reads import STATE_LABELS


@dataclass(frozen=True)
class TodayTicket:
    """A ticket the window called today: its number, when, how it ended, the cases it made."""

    id: str
    number: str
    #: When the window last dealt with it (finished, else started, else called).
    at: datetime
    #: 已受理 / 过号 / 办理中 …: the outcome once finished, else its state.
    outcome: str
    case_numbers: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class TodayCase:
    """A case the clerk or the window dealt with today, with its state now."""

    id: str
    number: str
    entry_name: str
    #: In full for the clerk's own site, masked otherwise (cases.worklist.applicant_for).
    applicant: str
    state: str
    #: The clerk's last step on it today (its timeline's words), and when.
    step: str
    at: datetime
    #: While the time limit runs (cases.worklist.OPEN_STATES), else None.
    due: date | None

    @property
    def state_label(self) -> str:
        return state_label(self.state)


@dataclass(frozen=True)
class TodayWork:
    tickets: list[TodayTicket]
    cases: list[TodayCase]


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The hall's local day as an aware [start, end) pair (steps are stored in UTC)."""
    start = datetime.combine(day, time(0), tzinfo=hall_zone())
    return start, start + timedelta(days=1)


def today_work(session: Session, viewer: Actor, window: str, day: date) -> TodayWork:
    """The window's tickets of `day` and the cases `viewer` (or a ticket of the window) touched
    that day, latest first."""
    rows = session.exec(
        select(QueueTicket).where(
            QueueTicket.site == viewer.site, QueueTicket.day == day, QueueTicket.window == window
        )
    ).all()
    tickets = sorted((_ticket(row) for row in rows), key=lambda t: t.at, reverse=True)
    start, end = day_bounds(day)
    steps = session.exec(
        select(CaseStep)
        .where(
            CaseStep.site == viewer.site,
            CaseStep.actor == viewer.username,
            col(CaseStep.at) >= start,
            col(CaseStep.at) < end,
        )
        .order_by(col(CaseStep.at))
    ).all()
    last: dict[str, CaseStep] = {step.case_id: step for step in steps}
    linked = {number for ticket in tickets for number in ticket.case_numbers}
    cases = list(session.exec(select(Case).where(col(Case.id).in_(list(last)))).all())
    if linked:
        known = {case.number for case in cases}
        wanted = list(linked - known)
        if wanted:
            cases += session.exec(select(Case).where(col(Case.number).in_(wanted))).all()
    found = [_case(case, last.get(case.id), viewer) for case in cases]
    found.sort(key=lambda c: (c.at, c.number), reverse=True)
    return TodayWork(tickets=tickets, cases=found)


def _ticket(row: QueueTicket) -> TodayTicket:
    moment = row.finished_at or row.started_at or row.called_at or row.issued_at
    outcome = OUTCOMES.get(row.outcome, "") if row.state == "finished" else ""
    return TodayTicket(
        id=row.id,
        number=row.number,
        at=to_local(moment),
        outcome=outcome or STATE_LABELS.get(row.state, row.state),
        case_numbers=tuple(json.loads(row.case_numbers)),
        note=row.note,
    )


def _case(case: Case, step: CaseStep | None, viewer: Actor) -> TodayCase:
    # A case linked by a ticket but stepped on by someone else: its own last change.
    at = to_local(step.at if step is not None else case.updated_at)
    return TodayCase(
        id=case.id,
        number=case.number,
        entry_name=case.entry_name,
        applicant=applicant_for(viewer, case.site, case.applicant_name),
        state=case.state,
        step=step.summary if step is not None else "",
        at=at,
        # A due date means something while the clock runs; after it, the state says enough.
        due=case.due if case.state in OPEN_STATES else None,
    )
