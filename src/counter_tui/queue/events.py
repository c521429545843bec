"""The queue's event types and their payloads (the catalogue: docs/events.md).

Times are ISO 8601 strings with their offset, so replay never reads the clock. Each ticket event
is also a row of `queue_step`, whose `kind` is the event type without "queue." (`step_kind`): the
statistics and the hall display read those rows, and name the kinds through these constants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from counter_tui.journal.events import declare

HALL_CONFIGURED = "queue.hall_configured"
TICKET_ISSUED = "queue.ticket_issued"
TICKET_CALLED = "queue.ticket_called"
TICKET_RECALLED = "queue.ticket_recalled"
TICKET_NO_SHOW = "queue.ticket_no_show"
TICKET_REQUEUED = "queue.ticket_requeued"
TICKET_TRANSFERRED = "queue.ticket_transferred"
TICKET_PARKED = "queue.ticket_parked"
TICKET_STARTED = "queue.ticket_started"
TICKET_FINISHED = "queue.ticket_finished"
CASE_LINKED = "queue.case_linked"
TICKET_CLOSED = "queue.ticket_closed"
APPOINTMENT_BOOKED = "queue.appointment_booked"
APPOINTMENT_CHECKED_IN = "queue.appointment_checked_in"
APPOINTMENT_MISSED = "queue.appointment_missed"
APPOINTMENT_CANCELLED = "queue.appointment_cancelled"

_PREFIX = "queue."


def step_kind(event_type: str) -> str:
    """The `queue_step.kind` of a ticket event: its type without "queue." (ticket_called)."""
    return event_type.removeprefix(_PREFIX)


@declare(HALL_CONFIGURED)
@dataclass(frozen=True, kw_only=True)
class HallConfigured:
    #: queue.config.to_dict of the hall's set-up.
    config: dict[str, Any]
    at: str


@declare(TICKET_ISSUED)
@dataclass(frozen=True, kw_only=True)
class TicketIssued:
    ticket_id: str
    number: str
    day: str
    category: str
    seq: int
    at: str
    priority: bool = False
    priority_reason: str = ""
    channel: str = "reception"
    applicant_name: str = ""
    #: A ticket issued at an appointment's check-in, with its slot unless the applicant was late.
    appointment_id: str | None = None
    slot_start: str | None = None
    slot_end: str | None = None


@dataclass(frozen=True, kw_only=True)
class TicketStep:
    """A step of one ticket."""

    ticket_id: str
    at: str


@dataclass(frozen=True, kw_only=True)
class AtWindow(TicketStep):
    """A step taken at a window on the ticket it holds."""

    window: str = ""


@declare(TICKET_CALLED)
@dataclass(frozen=True, kw_only=True)
class TicketCalled(TicketStep):
    window: str
    #: The window's fairness streak after this call (queue.rules.streak_after).
    streak: int
    #: Why a ticket was called out of turn; "" for "next".
    reason: str = ""


@declare(TICKET_RECALLED)
@dataclass(frozen=True, kw_only=True)
class TicketRecalled(AtWindow):
    pass


@declare(TICKET_NO_SHOW)
@dataclass(frozen=True, kw_only=True)
class TicketNoShow(AtWindow):
    pass


@declare(TICKET_STARTED)
@dataclass(frozen=True, kw_only=True)
class TicketStarted(AtWindow):
    pass


@declare(TICKET_PARKED)
@dataclass(frozen=True, kw_only=True)
class TicketParked(AtWindow):
    note: str = ""


@declare(TICKET_TRANSFERRED)
@dataclass(frozen=True, kw_only=True)
class TicketTransferred(AtWindow):
    category: str
    target_window: str = ""
    queued_at: str
    position: str = ""
    reason: str = ""


@declare(TICKET_FINISHED)
@dataclass(frozen=True, kw_only=True)
class TicketFinished(AtWindow):
    outcome: str
    note: str = ""
    item_codes: list[str] = field(default_factory=list)


@declare(TICKET_REQUEUED)
@dataclass(frozen=True, kw_only=True)
class TicketRequeued(TicketStep):
    queued_at: str
    position: str = ""


@declare(CASE_LINKED)
@dataclass(frozen=True, kw_only=True)
class CaseLinked(TicketStep):
    case_number: str
    item_codes: list[str] = field(default_factory=list)


@declare(TICKET_CLOSED)
@dataclass(frozen=True, kw_only=True)
class TicketClosed(TicketStep):
    """A ticket left open from an earlier day, closed."""

    reason: str = ""


# --- appointments ------------------------------------------------------------------------


@declare(APPOINTMENT_BOOKED)
@dataclass(frozen=True, kw_only=True)
class AppointmentBooked:
    appointment_id: str
    code: str
    category: str
    day: str
    slot_start: str
    slot_end: str
    name: str
    channel: str
    at: str
    id_number: str = ""
    phone: str = ""


@dataclass(frozen=True, kw_only=True)
class AppointmentStep:
    appointment_id: str
    at: str


@declare(APPOINTMENT_CHECKED_IN)
@dataclass(frozen=True, kw_only=True)
class AppointmentCheckedIn(AppointmentStep):
    ticket_id: str
    late: bool = False


@declare(APPOINTMENT_MISSED)
@dataclass(frozen=True, kw_only=True)
class AppointmentMissed(AppointmentStep):
    """爽约: the slot and its grace passed without a check-in."""


@declare(APPOINTMENT_CANCELLED)
@dataclass(frozen=True, kw_only=True)
class AppointmentCancelled(AppointmentStep):
    reason: str = ""
