"""Feedback tables: projections of the feedback.* events (rebuilt by replay).

Times are aware datetimes kept as UTC; deadlines are the hall's local dates.
"""

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

# --- hard cases (办不成事, H3) ----------------------------------------------------------------


class HardCase(SQLModel, table=True):
    """One 办不成事 record and where its loop stands."""

    __tablename__ = "hard_case"
    __table_args__ = (
        UniqueConstraint("site", "number", name="uq_hard_case_number"),
        # The open list, the deadline nearest first.
        Index("ix_hard_case_state_due", "state", "next_due"),
    )

    id: str = Field(primary_key=True, max_length=36)
    site: str = Field(max_length=64)
    number: str = Field(max_length=32)
    day: date
    seq: int
    state: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    problem: str
    applicant_name: str = Field(max_length=100)
    id_type: str = Field(default="", max_length=8)
    id_number: str = Field(default="", max_length=64)
    phone: str = Field(default="", max_length=40)
    origin: str = Field(max_length=8)
    ticket_id: str | None = Field(default=None, max_length=36)
    ticket_number: str = Field(default="", max_length=16)
    case_number: str = Field(default="", max_length=64, index=True)
    opened_at: datetime
    opened_by: str = Field(max_length=128)
    #: The earliest reply deadline still unanswered (None: nothing awaited).
    next_due: date | None = None
    outcome: str = Field(default="", max_length=8)
    explanation: str = ""
    concluded_at: datetime | None = None
    verdict: str = Field(default="", max_length=16)
    verdict_note: str = ""
    closed_at: datetime | None = None
    updated_at: datetime


class HardCaseRequest(SQLModel, table=True):
    """A department asked to coordinate on a hard case, and its reply."""

    __tablename__ = "hard_case_request"

    id: str = Field(primary_key=True, max_length=36)
    hard_case_id: str = Field(foreign_key="hard_case.id", max_length=36, index=True)
    department: str = Field(max_length=200)
    request: str
    asked_at: datetime
    #: The reply deadline; moved by each 督办.
    due: date
    reply: str = ""
    replied_at: datetime | None = None
    replied_by: str = Field(default="", max_length=128)
    supervisions: int = 0
    supervised_at: datetime | None = None


class HardCaseStep(SQLModel, table=True):
    """Every step of a hard case, for its timeline (受理 → 告知 → 协调 → 督办 → 回访)."""

    __tablename__ = "hard_case_step"
    __table_args__ = (Index("ix_hard_case_step_case", "hard_case_id", "at"),)

    event_id: str = Field(primary_key=True, max_length=36)
    hard_case_id: str = Field(foreign_key="hard_case.id", max_length=36)
    at: datetime
    kind: str = Field(max_length=16)
    actor: str = Field(max_length=128)
    department: str = Field(default="", max_length=200)
    text: str = ""
