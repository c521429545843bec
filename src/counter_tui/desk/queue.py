"""The queue door: a window's queue view and steps, the reception's tickets and bookings, the
kiosk's tickets, the hall's set-up and the day's statistics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.queue import appointments
from counter_tui.queue import commands as queue_commands
from counter_tui.queue import reads as queue_reads
from counter_tui.queue import rules as queue_rules
from counter_tui.queue.board import Board, board, marker
from counter_tui.queue.config import HallConfig
from counter_tui.queue.projection import NO_SHOW
from counter_tui.queue.reads import Ticket
from counter_tui.queue.slip import Slip, slip_text
from counter_tui.queue.stats import DayStats
from counter_tui.queue.stats_read import day_stats
from counter_tui.settings import RECEPTION
from counter_tui.text import clean

#: The steps the screen may take at its window, by service name.
WINDOW_STEPS = ("call_next", "recall", "no_show", "start", "finish", "park", "transfer")


@dataclass(frozen=True)
class QueueView:
    """What one window's queue screen shows."""

    window: str
    #: Every category of the hall: (prefix, name).
    categories: tuple[tuple[str, str], ...]
    #: The prefixes this window serves.
    served: tuple[str, ...]
    held: Ticket | None
    #: Today's tickets this window may call, in calling order.
    waiting: list[Ticket]
    parked: list[Ticket]
    no_shows: list[Ticket]
    #: Open tickets of earlier days.
    leftovers: list[Ticket]
    #: prefix → how many wait today (every window's).
    counts: dict[str, int]
    #: The reception desk: `waiting` is everyone waiting, and nothing is held or parked.
    reception: bool = False


class QueueDoor(Door):
    def marker(self) -> int:
        """Changes with every recorded event: the screen reloads only then."""
        with read_session(self.engine) as session:
            return marker(session, self.node.site)

    def view(self, window: str, now: datetime) -> QueueView:
        with read_session(self.engine) as session:
            config = queue_reads.hall(session, self.node.site)
            served = config.served_by(window)
            everyone = queue_reads.waiting(session, self.node.site, now)
            counts = Counter(ticket.category for ticket in everyone)
            reception = window == RECEPTION
            mine = [t for t in everyone if reception or queue_reads.may_call(window, served, t)]
            return QueueView(
                window=window,
                categories=tuple((c.prefix, c.name) for c in config.categories),
                served=served,
                held=queue_reads.held_by(session, self.node.site, window),
                waiting=mine,
                parked=queue_reads.parked_at(session, self.node.site, window),
                no_shows=queue_reads.tickets_in(session, self.node.site, now.date(), NO_SHOW),
                leftovers=queue_reads.leftovers(session, self.node.site, now.date()),
                counts=dict(counts),
                reception=reception,
            )

    def step(self, actor: Actor, name: str, window: str, now: datetime, **kw: Any) -> Ticket | None:
        """One step at the window (call next, recall, …); raises QueueRefused."""
        if name not in WINDOW_STEPS:
            raise ValueError(name)
        if name == "recall":  # the hall's minimum, for the window's key and the CLI alike
            seconds = self.settings.queue.recall_min_interval_seconds
            kw.setdefault("min_interval", timedelta(seconds=seconds))
        with write_session(self.engine) as session:
            result: Ticket | None = getattr(queue_commands, name)(
                session, actor, window, now=now, **kw
            )
            return result

    def held(self, window: str) -> tuple[Ticket, str] | None:
        """The ticket `window` has called or is serving, with its category's name (None: the
        window is free). One short read: the header keeps a copy, never asks every second."""
        with read_session(self.engine) as session:
            ticket = queue_reads.held_by(session, self.node.site, window)
            if ticket is None:
                return None
            return ticket, queue_reads.hall(session, self.node.site).name_of(ticket.category)

    def proposed_outcome(self, window: str) -> str:
        """The 办理结果 the cases linked to `window`'s ticket imply (queue.rules); a ticket
        that opened a hard case (办不成事) and produced no case is 办不成事受理."""
        from sqlmodel import col, select

        from counter_tui.cases.models import Case
        from counter_tui.feedback.models import HardCase

        with read_session(self.engine) as session:
            ticket = queue_reads.held_by(session, self.node.site, window)
            numbers = list(ticket.case_numbers) if ticket else []
            states = (
                session.exec(select(Case.state).where(col(Case.number).in_(numbers))).all()
                if numbers
                else []
            )
            hard = (
                ticket is not None
                and not numbers
                and session.exec(
                    select(HardCase.id).where(HardCase.ticket_id == ticket.id).limit(1)
                ).first()
                is not None
            )
        return "hard_case" if hard else queue_rules.proposed_outcome(states)

    def call_ticket(
        self, actor: Actor, window: str, number: str, reason: str, now: datetime
    ) -> Ticket:
        with write_session(self.engine) as session:
            return queue_commands.call_ticket(session, actor, window, number, reason, now=now)

    def requeue(self, actor: Actor, number: str, position: str, now: datetime) -> Ticket:
        with write_session(self.engine) as session:
            return queue_commands.requeue(session, actor, number, position=position, now=now)

    def close(self, actor: Actor, ticket_id: str, reason: str, now: datetime) -> Ticket:
        with write_session(self.engine) as session:
            return queue_commands.close(session, actor, ticket_id, reason, now=now)

    def issue(
        self, actor: Actor, category: str, priority_reason: str, now: datetime
    ) -> tuple[Ticket, str]:
        """Issue a ticket at the reception; returns it with its slip's text."""
        with write_session(self.engine) as session:
            ticket = queue_commands.issue(
                session, actor, category, priority_reason=priority_reason, now=now
            )
            return ticket, self._slip(session, ticket, now)

    def check_in(self, actor: Actor, key: str, now: datetime) -> tuple[Ticket, str, str]:
        """预约签到; returns the ticket, its slip and what to tell the clerk."""
        with write_session(self.engine) as session:
            ticket, made = appointments.check_in(session, actor, key, now=now)
            note = "已过预约时段，按普通号排队" if made.late else f"预约时段 {made.slot}"
            return (
                ticket,
                self._slip(session, ticket, now, slot="" if made.late else made.slot),
                note,
            )

    def openings(self, category: str, day: date, now: datetime) -> list[appointments.Opening]:
        with read_session(self.engine) as session:
            return appointments.openings(session, self.node.site, category, day, now=now)

    def book(
        self, actor: Actor, values: dict[str, str], day: date, channel: str, now: datetime
    ) -> appointments.Appointment:
        """Book from the form's values (category, slot, name, id_number, phone)."""
        with write_session(self.engine) as session:
            return appointments.book(
                session,
                actor,
                values["category"],
                day,
                values["slot"],
                name=values["name"],
                id_number=values["id_number"],
                phone=values.get("phone", ""),
                channel=channel,
                now=now,
            )

    def issue_at_kiosk(
        self, actor: Actor, category: str, priority_reason: str, now: datetime
    ) -> tuple[Ticket, Slip]:
        """Issue a ticket at the self-service kiosk; returns it with what its slip says (the
        kiosk lays the slip out for its own printer's width)."""
        with write_session(self.engine) as session:
            ticket = queue_commands.issue(
                session, actor, category, priority_reason=priority_reason, channel="kiosk", now=now
            )
            return ticket, queue_reads.slip_of(session, ticket, now)

    def board(self, now: datetime) -> Board:
        """What the hall display shows: waiting counts, windows' current calls, leftovers."""
        with read_session(self.engine) as session:
            return board(session, self.node.site, now)

    def hall(self) -> HallConfig:
        """The hall's categories, windows, target wait and appointment slots."""
        with read_session(self.engine) as session:
            return queue_reads.hall(session, self.node.site)

    def configure(self, actor: Actor, config: HallConfig) -> None:
        """Load a new set-up for the hall (an administrator's)."""
        with write_session(self.engine) as session:
            queue_commands.configure(session, actor, config)

    def appointments_of(self, day: date) -> list[appointments.Appointment]:
        """The day's appointments, names and ID numbers masked."""
        with read_session(self.engine) as session:
            return appointments.of_day(session, self.node.site, day)

    def cancel_appointment(
        self, actor: Actor, code: str, reason: str, now: datetime
    ) -> appointments.Appointment:
        with write_session(self.engine) as session:
            return appointments.cancel(session, actor, code, reason, now=now)

    def day_stats(self, day: date) -> tuple[DayStats, dict[str, str]]:
        """The day's figures against the hall's target wait, and the names of the categories
        they mention."""
        with read_session(self.engine) as session:
            config = queue_reads.hall(session, self.node.site)
            figures = day_stats(session, self.node.site, day, target=config.target_wait)
        return figures, {c: config.name_of(c) for c in figures.categories}

    def _slip(self, session: Any, ticket: Ticket, now: datetime, slot: str = "") -> str:
        width = 32 if self.settings.printing.format == "58mm" else 48
        return slip_text(queue_reads.slip_of(session, ticket, now, slot=slot), width)

    def print_slip(self, ticket: Ticket, text: str) -> str:
        """Save the slip and send it to the printer as configured; the clerk's message."""
        from counter_tui.notices.printing import deliver_text

        stem = f"{ticket.day:%Y%m%d}-{clean(ticket.number)}"
        return deliver_text(stem, ticket.issued_at, text, self.settings.printing).message
