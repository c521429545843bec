"""Reading the queue: tickets as records, the hall's set-up, what a window holds, who waits and
in which order, a ticket's slip. Nothing here writes (queue.commands does)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from counter_tui.clock import now_local, to_local
from counter_tui.queue import config as hall_config
from counter_tui.queue import rules
from counter_tui.queue.config import HallConfig
from counter_tui.queue.models import QueueHall, QueueTicket
from counter_tui.queue.projection import (
    CALLED,
    FINISHED,
    NO_SHOW,
    OPEN_STATES,
    PARKED,
    SERVING,
    WAITING,
)
from counter_tui.queue.rules import QueueRefused
from counter_tui.queue.slip import Slip
from counter_tui.site.service import is_demo, site_name

STATE_LABELS: dict[str, str] = {
    WAITING: "等候",
    CALLED: "已叫号",
    SERVING: "办理中",
    PARKED: "暂离",
    FINISHED: "已办结",
    NO_SHOW: "过号",
    "closed": "已关闭",
}


@dataclass(frozen=True)
class Ticket:
    """A ticket as services hand it out (detached from any session)."""

    id: str
    site: str
    number: str
    category: str
    state: str
    day: date
    issued_at: datetime
    queued_at: datetime
    priority: bool
    priority_reason: str
    window: str
    target_window: str
    calls: int
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    outcome: str
    applicant_name: str
    appointment: bool
    case_numbers: tuple[str, ...]
    item_codes: tuple[str, ...]

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


def to_ticket(row: QueueTicket) -> Ticket:
    return Ticket(
        id=row.id,
        site=row.site,
        number=row.number,
        category=row.category,
        state=row.state,
        day=row.day,
        issued_at=to_local(row.issued_at),
        queued_at=to_local(row.queued_at),
        priority=row.priority,
        priority_reason=row.priority_reason,
        window=row.window,
        target_window=row.target_window,
        calls=row.calls,
        called_at=to_local(row.called_at) if row.called_at else None,
        started_at=to_local(row.started_at) if row.started_at else None,
        finished_at=to_local(row.finished_at) if row.finished_at else None,
        outcome=row.outcome,
        applicant_name=row.applicant_name,
        appointment=row.appointment_id is not None,
        case_numbers=tuple(json.loads(row.case_numbers)),
        item_codes=tuple(json.loads(row.item_codes)),
    )


def hall(session: Session, site: str) -> HallConfig:
    """The hall's set-up, or the default one until an administrator loads one."""
    row = session.get(QueueHall, site)
    return hall_config.from_dict(json.loads(row.config)) if row else hall_config.DEFAULT


def get_ticket(session: Session, ticket_id: str) -> Ticket:
    row = session.get(QueueTicket, ticket_id)
    assert row is not None
    return to_ticket(row)


def as_waiting(row: QueueTicket) -> rules.Waiting:
    return rules.Waiting(
        id=row.id,
        number=row.number,
        category=row.category,
        queued_at=row.queued_at,
        priority=row.priority,
        slot_start=row.slot_start,
        slot_end=row.slot_end,
    )


def held_row(session: Session, site: str, window: str) -> QueueTicket | None:
    """The ticket a window is dealing with now: called or in service (at most one)."""
    return session.exec(
        select(QueueTicket).where(
            QueueTicket.site == site,
            QueueTicket.window == window,
            col(QueueTicket.state).in_((CALLED, SERVING)),
        )
    ).first()


def find_row(session: Session, site: str, number: str, day: date) -> QueueTicket:
    key = number.strip().upper()
    row = session.exec(
        select(QueueTicket).where(
            QueueTicket.site == site, QueueTicket.day == day, QueueTicket.number == key
        )
    ).first()
    if row is None:
        raise QueueRefused(f"今天没有 {key} 号")
    return row


def may_call(window: str, served: tuple[str, ...], ticket: Ticket) -> bool:
    """Whether `window`, serving the categories `served`, may call `ticket`: one transferred to
    a window is that window's alone, any other is every window's that serves its category.
    (queue.commands._candidates says the same in SQL.)"""
    if ticket.target_window:
        return ticket.target_window == window
    return ticket.category in served


def held_by(session: Session, site: str, window: str) -> Ticket | None:
    row = held_row(session, site, window)
    return to_ticket(row) if row else None


def parked_at(session: Session, site: str, window: str) -> list[Ticket]:
    rows = session.exec(
        select(QueueTicket)
        .where(QueueTicket.site == site, QueueTicket.window == window, QueueTicket.state == PARKED)
        .order_by(col(QueueTicket.updated_at))
    ).all()
    return [to_ticket(r) for r in rows]


def leftovers(session: Session, site: str, today: date) -> list[Ticket]:
    """Tickets of earlier days still open: shown until a clerk closes them."""
    rows = session.exec(
        select(QueueTicket)
        .where(
            QueueTicket.site == site,
            QueueTicket.day < today,
            col(QueueTicket.state).in_(OPEN_STATES),
        )
        .order_by(col(QueueTicket.day), col(QueueTicket.number))
    ).all()
    return [to_ticket(r) for r in rows]


def waiting(session: Session, site: str, now: datetime) -> list[Ticket]:
    """Today's waiting tickets in calling order (before the fairness rule)."""
    now = now_local(now)
    rows = session.exec(
        select(QueueTicket).where(
            QueueTicket.site == site, QueueTicket.state == WAITING, QueueTicket.day == now.date()
        )
    ).all()
    config = hall(session, site)
    by_id = {r.id: r for r in rows}
    ordered = rules.order([as_waiting(r) for r in rows], now, config.policy)
    return [to_ticket(by_id[w.id]) for w in ordered]


def ticket_by_number(session: Session, site: str, number: str, day: date) -> Ticket:
    return to_ticket(find_row(session, site, number, day))


def ahead_of(session: Session, site: str, ticket: Ticket, now: datetime) -> int:
    """How many wait before `ticket` in its category (for the slip: "前面还有 3 人")."""
    rows = session.exec(
        select(QueueTicket).where(
            QueueTicket.site == site,
            QueueTicket.state == WAITING,
            QueueTicket.day == ticket.day,
            QueueTicket.category == ticket.category,
        )
    ).all()
    positions = rules.waiting_positions(
        [as_waiting(r) for r in rows], now, hall(session, site).policy
    )
    return positions.get(ticket.id, 0)


def tickets_in(session: Session, site: str, day: date, state: str) -> list[Ticket]:
    """The day's tickets in one state, latest change first (today's no-shows, say)."""
    rows = session.exec(
        select(QueueTicket)
        .where(QueueTicket.site == site, QueueTicket.day == day, QueueTicket.state == state)
        .order_by(col(QueueTicket.updated_at).desc())
    ).all()
    return [to_ticket(r) for r in rows]


def slip_of(session: Session, ticket: Ticket, now: datetime, *, slot: str = "") -> Slip:
    """What the ticket's slip says (the kiosk's and the reception's alike)."""
    return Slip(
        hall=site_name(session, ticket.site),
        number=ticket.number,
        category=hall(session, ticket.site).name_of(ticket.category),
        ahead=ahead_of(session, ticket.site, ticket, now),
        issued_at=ticket.issued_at,
        priority_reason=ticket.priority_reason,
        slot=slot,
        training=is_demo(session),
    )
