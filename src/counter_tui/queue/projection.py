"""Applies queue.* events to the queue tables. Everything comes from the payload (times and the
window's streak included), so replay rebuilds the tables exactly."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlmodel import Session, SQLModel

from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles
from counter_tui.queue import events as ev
from counter_tui.queue.models import (
    QueueAppointment,
    QueueHall,
    QueueStep,
    QueueTicket,
    QueueWindow,
)

TABLES: list[type[SQLModel]] = [QueueHall, QueueAppointment, QueueTicket, QueueStep, QueueWindow]

WAITING, CALLED, SERVING, PARKED = "waiting", "called", "serving", "parked"
FINISHED, NO_SHOW, CLOSED = "finished", "no_show", "closed"
#: States in which a ticket still needs a clerk (shown the next morning until closed).
OPEN_STATES = (WAITING, CALLED, SERVING, PARKED)
BOOKED, CHECKED_IN, MISSED, CANCELLED = "booked", "checked_in", "missed", "cancelled"


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _maybe(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _ticket(session: Session, payload: ev.TicketStep) -> QueueTicket:
    ticket = session.get(QueueTicket, payload.ticket_id)
    if ticket is None:  # a journal that refers to a ticket it never issued is corrupt
        raise LookupError(f"queue event for an unknown ticket {payload.ticket_id}")
    return ticket


def _step(
    session: Session, event: Event, ticket: QueueTicket, at: datetime, detail: str = ""
) -> None:
    ticket.updated_at = at
    session.add(ticket)
    session.add(
        QueueStep(
            event_id=event.id,
            ticket_id=ticket.id,
            site=ticket.site,
            day=ticket.day,
            at=at,
            kind=ev.step_kind(event.type),
            category=ticket.category,
            window=ticket.window,
            actor=event.actor,
            detail=detail,
        )
    )


def _add_items(ticket: QueueTicket, codes: list[str]) -> None:
    items = json.loads(ticket.item_codes) + codes
    ticket.item_codes = json.dumps(list(dict.fromkeys(items)), ensure_ascii=False)


@handles(ev.HALL_CONFIGURED)
def _configured(session: Session, event: Event, payload: ev.HallConfigured) -> None:
    at = _at(payload.at)
    hall = session.get(QueueHall, event.site) or QueueHall(
        site=event.site, config="", updated_at=at
    )
    hall.config = json.dumps(payload.config, ensure_ascii=False, sort_keys=True)
    hall.updated_at = at
    session.add(hall)


@handles(ev.TICKET_ISSUED)
def _issued(session: Session, event: Event, payload: ev.TicketIssued) -> None:
    at = _at(payload.at)
    ticket = QueueTicket(
        id=payload.ticket_id,
        site=event.site,
        day=date.fromisoformat(payload.day),
        issued_category=payload.category,
        seq=payload.seq,
        number=payload.number,
        category=payload.category,
        priority=payload.priority,
        priority_reason=payload.priority_reason,
        channel=payload.channel,
        state=WAITING,
        issued_at=at,
        queued_at=at,
        applicant_name=payload.applicant_name,
        appointment_id=payload.appointment_id,
        slot_start=_maybe(payload.slot_start),
        slot_end=_maybe(payload.slot_end),
        updated_at=at,
    )
    session.add(ticket)
    session.flush()
    _step(session, event, ticket, at, ticket.priority_reason)


@handles(ev.TICKET_CALLED)
def _called(session: Session, event: Event, payload: ev.TicketCalled) -> None:
    ticket, at = _ticket(session, payload), _at(payload.at)
    ticket.state, ticket.window, ticket.called_at, ticket.calls = CALLED, payload.window, at, 1
    ticket.target_window = ""
    if ticket.first_called_at is None:
        ticket.first_called_at = at
    window = session.get(QueueWindow, (event.site, payload.window)) or QueueWindow(
        site=event.site, window=payload.window
    )
    window.streak, window.last_call_at = payload.streak, at
    session.add(window)
    _step(session, event, ticket, at, payload.reason)


@handles(ev.TICKET_RECALLED)
def _recalled(session: Session, event: Event, payload: ev.TicketRecalled) -> None:
    ticket, at = _ticket(session, payload), _at(payload.at)
    ticket.calls += 1
    ticket.called_at = at
    _step(session, event, ticket, at)


@handles(ev.TICKET_NO_SHOW)
def _no_show(session: Session, event: Event, payload: ev.TicketNoShow) -> None:
    ticket, at = _ticket(session, payload), _at(payload.at)
    ticket.state = NO_SHOW
    _step(session, event, ticket, at)


@handles(ev.TICKET_REQUEUED)
def _requeued(session: Session, event: Event, payload: ev.TicketRequeued) -> None:
    ticket, at = _ticket(session, payload), _at(payload.at)
    ticket.state, ticket.calls = WAITING, 0
    ticket.queued_at = _at(payload.queued_at)
    _step(session, event, ticket, at, payload.position)


@handles(ev.TICKET_TRANSFERRED)
def _transferred(session: Session, event: Event, payload: ev.TicketTransferred) -> None:
    ticket, at = _ticket(session, payload), _at(payload.at)
    ticket.state, ticket.calls = WAITING, 0
    ticket.category = payload.category
    ticket.target_window = payload.target_window
    ticket.queued_at = _at(payload.queued_at)
    _step(session, event, ticket, at, payload.reason)


@handles(ev.TICKET_PARKED)
def _parked(session: Session, event: Event, payload: ev.TicketParked) -> None:
    ticket, at = _ticket(session, payload), _at(payload.at)
    ticket.state = PARKED
    _step(session, event, ticket, at, payload.note)


@handles(ev.TICKET_STARTED)
def _started(session: Session, event: Event, payload: ev.TicketStarted) -> None:
    ticket, at = _ticket(session, payload), _at(payload.at)
    ticket.state, ticket.started_at, ticket.clerk = SERVING, at, event.actor
    _step(session, event, ticket, at)


@handles(ev.TICKET_FINISHED)
def _finished(session: Session, event: Event, payload: ev.TicketFinished) -> None:
    ticket, at = _ticket(session, payload), _at(payload.at)
    ticket.state, ticket.finished_at = FINISHED, at
    ticket.outcome, ticket.note = payload.outcome, payload.note
    if ticket.started_at is None:  # finished straight from the call: service began then
        ticket.started_at, ticket.clerk = ticket.called_at, event.actor
    _add_items(ticket, payload.item_codes)
    _step(session, event, ticket, at, payload.outcome)


@handles(ev.CASE_LINKED)
def _case_linked(session: Session, event: Event, payload: ev.CaseLinked) -> None:
    ticket, at = _ticket(session, payload), _at(payload.at)
    numbers = json.loads(ticket.case_numbers)
    if payload.case_number not in numbers:
        numbers.append(payload.case_number)
    ticket.case_numbers = json.dumps(numbers, ensure_ascii=False)
    _add_items(ticket, payload.item_codes)
    _step(session, event, ticket, at, payload.case_number)


@handles(ev.TICKET_CLOSED)
def _closed(session: Session, event: Event, payload: ev.TicketClosed) -> None:
    ticket, at = _ticket(session, payload), _at(payload.at)
    ticket.state = CLOSED
    ticket.note = payload.reason
    _step(session, event, ticket, at, ticket.note)


# --- appointments ------------------------------------------------------------------------


def _appointment(session: Session, payload: ev.AppointmentStep) -> QueueAppointment:
    found = session.get(QueueAppointment, payload.appointment_id)
    if found is None:
        raise LookupError(f"queue event for an unknown appointment {payload.appointment_id}")
    return found


@handles(ev.APPOINTMENT_BOOKED)
def _booked(session: Session, event: Event, payload: ev.AppointmentBooked) -> None:
    at = _at(payload.at)
    session.add(
        QueueAppointment(
            id=payload.appointment_id,
            site=event.site,
            code=payload.code,
            category=payload.category,
            day=date.fromisoformat(payload.day),
            slot_start=_at(payload.slot_start),
            slot_end=_at(payload.slot_end),
            name=payload.name,
            id_number=payload.id_number,
            phone=payload.phone,
            channel=payload.channel,
            state=BOOKED,
            booked_at=at,
            booked_by=event.actor,
            updated_at=at,
        )
    )


@handles(ev.APPOINTMENT_CHECKED_IN)
def _checked_in(session: Session, event: Event, payload: ev.AppointmentCheckedIn) -> None:
    appointment, at = _appointment(session, payload), _at(payload.at)
    appointment.state, appointment.checked_in_at = CHECKED_IN, at
    appointment.ticket_id, appointment.late = payload.ticket_id, payload.late
    appointment.updated_at = at
    session.add(appointment)


@handles(ev.APPOINTMENT_MISSED)
def _missed(session: Session, event: Event, payload: ev.AppointmentMissed) -> None:
    appointment, at = _appointment(session, payload), _at(payload.at)
    appointment.state, appointment.updated_at = MISSED, at
    session.add(appointment)


@handles(ev.APPOINTMENT_CANCELLED)
def _cancelled(session: Session, event: Event, payload: ev.AppointmentCancelled) -> None:
    appointment, at = _appointment(session, payload), _at(payload.at)
    appointment.state, appointment.updated_at = CANCELLED, at
    session.add(appointment)
