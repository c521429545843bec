"""Queue tables: projections of the queue.* events (rebuilt by replay).

`queue_ticket` is a ticket's present state; `queue_step` keeps every state change with its time,
so the statistics are computed from it and never counted by hand (issue 6). Times are aware
datetimes kept as UTC; `day` is the hall's local day the ticket was issued on, which numbers it.
"""

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class QueueHall(SQLModel, table=True):
    """A hall's queue set-up (queue.config.to_dict as JSON); no row: queue.config.DEFAULT."""

    __tablename__ = "queue_hall"

    site: str = Field(primary_key=True, max_length=64)
    config: str
    updated_at: datetime


class QueueTicket(SQLModel, table=True):
    __tablename__ = "queue_ticket"
    __table_args__ = (
        # A number is never issued twice in a day: the database refuses it even if a bug tried.
        UniqueConstraint("site", "day", "issued_category", "seq", name="uq_queue_ticket_number"),
        Index("ix_queue_ticket_site_state", "site", "state"),
        # "Next" reads the oldest waiting tickets of the day and the appointment tickets
        # (commands._candidates) without scanning the queue, however long it is.
        Index("ix_queue_ticket_waiting", "site", "state", "day", "queued_at", "number"),
        Index("ix_queue_ticket_slot", "site", "state", "day", "slot_start"),
    )

    id: str = Field(primary_key=True, max_length=36)
    site: str = Field(max_length=64)
    day: date
    #: The category it was issued in (its prefix); `category` may change by a transfer.
    issued_category: str = Field(max_length=4)
    seq: int
    #: A012: kept through transfers (the applicant holds the slip).
    number: str = Field(max_length=16)
    category: str = Field(max_length=4)
    priority: bool = False
    #: 绿色通道: why (老年人, 残疾人, 孕妇 …).
    priority_reason: str = Field(default="", max_length=40)
    #: kiosk, reception, appointment.
    channel: str = Field(default="reception", max_length=16)
    state: str = Field(max_length=16)
    issued_at: datetime
    #: Orders its queue: the issue time unless a transfer or re-queue moved it (queue.rules).
    queued_at: datetime
    #: A transfer to one window: only that window calls it ("" = any window of the category).
    target_window: str = Field(default="", max_length=8)
    #: The window that called, holds or served it last.
    window: str = Field(default="", max_length=8)
    first_called_at: datetime | None = None
    called_at: datetime | None = None
    #: How often it was called at its present call (1, then each recall adds one).
    calls: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    #: Who served it (user name).
    clerk: str = Field(default="", max_length=128)
    outcome: str = Field(default="", max_length=16)
    note: str = ""
    applicant_name: str = Field(default="", max_length=100)
    appointment_id: str | None = Field(default=None, max_length=36)
    slot_start: datetime | None = None
    slot_end: datetime | None = None
    #: JSON lists: the cases the ticket produced and the items it covered.
    case_numbers: str = "[]"
    item_codes: str = "[]"
    updated_at: datetime


class QueueStep(SQLModel, table=True):
    """One state change of a ticket: the event's time, window and who."""

    __tablename__ = "queue_step"
    __table_args__ = (Index("ix_queue_step_ticket", "ticket_id", "at"),)

    event_id: str = Field(primary_key=True, max_length=36)
    ticket_id: str = Field(max_length=36)
    site: str = Field(max_length=64)
    day: date
    at: datetime = Field(index=True)
    #: The event type without "queue." (queue.events.step_kind): ticket_issued, ticket_called …
    kind: str = Field(max_length=32)
    category: str = Field(max_length=4)
    window: str = Field(default="", max_length=8)
    actor: str = Field(max_length=128)
    detail: str = ""


class QueueWindow(SQLModel, table=True):
    """A window's calling state: how many out-of-turn-class calls it made in a row (fairness)."""

    __tablename__ = "queue_window"

    site: str = Field(primary_key=True, max_length=64)
    window: str = Field(primary_key=True, max_length=8)
    streak: int = 0
    last_call_at: datetime | None = None


class QueueAppointment(SQLModel, table=True):
    __tablename__ = "queue_appointment"
    __table_args__ = (
        Index("ix_queue_appointment_slot", "site", "category", "slot_start"),
        Index("ix_queue_appointment_person", "site", "id_number"),
    )

    id: str = Field(primary_key=True, max_length=36)
    site: str = Field(max_length=64)
    #: Typed or scanned at check-in: 8 digits.
    code: str = Field(unique=True, max_length=16)
    category: str = Field(max_length=4)
    day: date
    slot_start: datetime
    slot_end: datetime
    name: str = Field(max_length=100)
    id_number: str = Field(default="", max_length=64)
    phone: str = Field(default="", max_length=40)
    #: phone, window.
    channel: str = Field(max_length=16)
    #: booked, checked_in, missed, cancelled.
    state: str = Field(max_length=16)
    booked_at: datetime
    booked_by: str = Field(max_length=128)
    checked_in_at: datetime | None = None
    ticket_id: str | None = Field(default=None, max_length=36)
    #: Checked in after the slot (and the grace): queued as an ordinary ticket.
    late: bool = False
    updated_at: datetime
