"""Applies queue.* events to the queue tables. Everything comes from the payload (times and the
window's streak included), so replay rebuilds the tables exactly."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, SQLModel

from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles
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


def _at(payload: dict[str, Any], key: str = "at") -> datetime:
    return datetime.fromisoformat(payload[key])


def _maybe(payload: dict[str, Any], key: str) -> datetime | None:
    value = payload.get(key)
    return datetime.fromisoformat(value) if value else None


def _ticket(session: Session, payload: dict[str, Any]) -> QueueTicket:
    ticket = session.get(QueueTicket, payload["ticket_id"])
    if ticket is None:  # a journal that refers to a ticket it never issued is corrupt
        raise LookupError(f"queue event for an unknown ticket {payload['ticket_id']}")
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
            kind=event.type.removeprefix("queue."),
            category=ticket.category,
            window=ticket.window,
            actor=event.actor,
            detail=detail,
        )
    )


def _add_items(ticket: QueueTicket, codes: list[str]) -> None:
    items = json.loads(ticket.item_codes) + codes
    ticket.item_codes = json.dumps(list(dict.fromkeys(items)), ensure_ascii=False)


@handles("queue.hall_configured")
def _configured(session: Session, event: Event, payload: dict[str, Any]) -> None:
    hall = session.get(QueueHall, event.site) or QueueHall(
        site=event.site, config="", updated_at=_at(payload)
    )
    hall.config = json.dumps(payload["config"], ensure_ascii=False, sort_keys=True)
    hall.updated_at = _at(payload)
    session.add(hall)


@handles("queue.ticket_issued")
def _issued(session: Session, event: Event, payload: dict[str, Any]) -> None:
    at = _at(payload)
    ticket = QueueTicket(
        id=payload["ticket_id"],
        site=event.site,
        day=date.fromisoformat(payload["day"]),
        issued_category=payload["category"],
        seq=payload["seq"],
        number=payload["number"],
        category=payload["category"],
        priority=payload.get("priority", False),
        priority_reason=payload.get("priority_reason", ""),
        channel=payload.get("channel", "reception"),
        state=WAITING,
        issued_at=at,
        queued_at=at,
        applicant_name=payload.get("applicant_name", ""),
        appointment_id=payload.get("appointment_id"),
        slot_start=_maybe(payload, "slot_start"),
        slot_end=_maybe(payload, "slot_end"),
        updated_at=at,
    )
    session.add(ticket)
    session.flush()
    _step(session, event, ticket, at, ticket.priority_reason)


@handles("queue.ticket_called")
def _called(session: Session, event: Event, payload: dict[str, Any]) -> None:
    ticket, at = _ticket(session, payload), _at(payload)
    ticket.state, ticket.window, ticket.called_at, ticket.calls = CALLED, payload["window"], at, 1
    ticket.target_window = ""
    if ticket.first_called_at is None:
        ticket.first_called_at = at
    window = session.get(QueueWindow, (event.site, payload["window"])) or QueueWindow(
        site=event.site, window=payload["window"]
    )
    window.streak, window.last_call_at = payload["streak"], at
    session.add(window)
    _step(session, event, ticket, at, payload.get("reason", ""))


@handles("queue.ticket_recalled")
def _recalled(session: Session, event: Event, payload: dict[str, Any]) -> None:
    ticket, at = _ticket(session, payload), _at(payload)
    ticket.calls += 1
    ticket.called_at = at
    _step(session, event, ticket, at)


@handles("queue.ticket_no_show")
def _no_show(session: Session, event: Event, payload: dict[str, Any]) -> None:
    ticket, at = _ticket(session, payload), _at(payload)
    ticket.state = NO_SHOW
    _step(session, event, ticket, at)


@handles("queue.ticket_requeued")
def _requeued(session: Session, event: Event, payload: dict[str, Any]) -> None:
    ticket, at = _ticket(session, payload), _at(payload)
    ticket.state, ticket.calls = WAITING, 0
    ticket.queued_at = _at(payload, "queued_at")
    _step(session, event, ticket, at, payload.get("position", ""))


@handles("queue.ticket_transferred")
def _transferred(session: Session, event: Event, payload: dict[str, Any]) -> None:
    ticket, at = _ticket(session, payload), _at(payload)
    ticket.state, ticket.calls = WAITING, 0
    ticket.category = payload["category"]
    ticket.target_window = payload.get("target_window", "")
    ticket.queued_at = _at(payload, "queued_at")
    _step(session, event, ticket, at, payload.get("reason", ""))


@handles("queue.ticket_parked")
def _parked(session: Session, event: Event, payload: dict[str, Any]) -> None:
    ticket, at = _ticket(session, payload), _at(payload)
    ticket.state = PARKED
    _step(session, event, ticket, at, payload.get("note", ""))


@handles("queue.ticket_started")
def _started(session: Session, event: Event, payload: dict[str, Any]) -> None:
    ticket, at = _ticket(session, payload), _at(payload)
    ticket.state, ticket.started_at, ticket.clerk = SERVING, at, event.actor
    _step(session, event, ticket, at)


@handles("queue.ticket_finished")
def _finished(session: Session, event: Event, payload: dict[str, Any]) -> None:
    ticket, at = _ticket(session, payload), _at(payload)
    ticket.state, ticket.finished_at = FINISHED, at
    ticket.outcome, ticket.note = payload["outcome"], payload.get("note", "")
    if ticket.started_at is None:  # finished straight from the call: service began then
        ticket.started_at, ticket.clerk = ticket.called_at, event.actor
    _add_items(ticket, payload.get("item_codes", []))
    _step(session, event, ticket, at, payload["outcome"])


@handles("queue.case_linked")
def _case_linked(session: Session, event: Event, payload: dict[str, Any]) -> None:
    ticket, at = _ticket(session, payload), _at(payload)
    numbers = json.loads(ticket.case_numbers)
    if payload["case_number"] not in numbers:
        numbers.append(payload["case_number"])
    ticket.case_numbers = json.dumps(numbers, ensure_ascii=False)
    _add_items(ticket, payload.get("item_codes", []))
    _step(session, event, ticket, at, payload["case_number"])


@handles("queue.ticket_closed")
def _closed(session: Session, event: Event, payload: dict[str, Any]) -> None:
    ticket, at = _ticket(session, payload), _at(payload)
    ticket.state = CLOSED
    ticket.note = payload.get("reason", "")
    _step(session, event, ticket, at, ticket.note)


# --- appointments ------------------------------------------------------------------------


def _appointment(session: Session, payload: dict[str, Any]) -> QueueAppointment:
    found = session.get(QueueAppointment, payload["appointment_id"])
    if found is None:
        raise LookupError(f"queue event for an unknown appointment {payload['appointment_id']}")
    return found


@handles("queue.appointment_booked")
def _booked(session: Session, event: Event, payload: dict[str, Any]) -> None:
    at = _at(payload)
    session.add(
        QueueAppointment(
            id=payload["appointment_id"],
            site=event.site,
            code=payload["code"],
            category=payload["category"],
            day=date.fromisoformat(payload["day"]),
            slot_start=_at(payload, "slot_start"),
            slot_end=_at(payload, "slot_end"),
            name=payload["name"],
            id_number=payload.get("id_number", ""),
            phone=payload.get("phone", ""),
            channel=payload["channel"],
            state=BOOKED,
            booked_at=at,
            booked_by=event.actor,
            updated_at=at,
        )
    )


@handles("queue.appointment_checked_in")
def _checked_in(session: Session, event: Event, payload: dict[str, Any]) -> None:
    appointment, at = _appointment(session, payload), _at(payload)
    appointment.state, appointment.checked_in_at = CHECKED_IN, at
    appointment.ticket_id, appointment.late = payload["ticket_id"], payload.get("late", False)
    appointment.updated_at = at
    session.add(appointment)


@handles("queue.appointment_missed")
def _missed(session: Session, event: Event, payload: dict[str, Any]) -> None:
    appointment, at = _appointment(session, payload), _at(payload)
    appointment.state, appointment.updated_at = MISSED, at
    session.add(appointment)


@handles("queue.appointment_cancelled")
def _cancelled(session: Session, event: Event, payload: dict[str, Any]) -> None:
    appointment, at = _appointment(session, payload), _at(payload)
    appointment.state, appointment.updated_at = CANCELLED, at
    session.add(appointment)
