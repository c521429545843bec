"""Feedback tables: projections of the rating.* and feedback.* events (rebuilt by replay).

`rating` is one rating (好差评) of a service (一次一评, a queue ticket) or of a case (一事一评);
`rating_followup` is the follow-up loop (差评整改) a bad rating opens. Times are aware datetimes
kept as UTC. The reports read `rating` by site or department and time (its two indexes).

`site` is the site a rating counts for: the site of the case it rates, wherever it was recorded
(a 12345 phone or online rating recorded at the county hub for a village's case is the
village's, at the hub and at the village), else (a rating of a ticket alone, or of a case this
database does not hold) the site that recorded it. A follow-up has its rating's site; its owner
and deadline are the event's.

No unique constraint keeps a ticket or a case to one rating: the service refuses a second one,
but two sites apart may each record one before they sync, and applying what arrives must not fail.
"""

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Rating(SQLModel, table=True):
    __tablename__ = "rating"
    __table_args__ = (
        Index("ix_rating_site_rated_at", "site", "rated_at"),
        Index("ix_rating_department_rated_at", "department", "rated_at"),
    )

    id: str = Field(primary_key=True, max_length=36)
    site: str = Field(max_length=64)
    #: "service" (一次一评) or "case" (一事一评): feedback.rules.KINDS.
    kind: str = Field(max_length=8)
    ticket_id: str | None = Field(default=None, max_length=36, index=True)
    #: The case's id, and its number ("" if none).
    case_id: str | None = Field(default=None, max_length=36, index=True)
    case_number: str = Field(default="", max_length=64)
    #: window, phone, sms, online (feedback.rules.CHANNELS).
    channel: str = Field(max_length=8)
    #: 1 非常满意 … 5 非常不满意; NULL when not given (未评价).
    level: int | None = None
    #: False for 未评价 (a timed-out prompt) and for any platform default: never counted as given.
    given: bool = True
    #: JSON list of reason codes (feedback.rules.REASONS) or a provincial export's texts.
    reasons: str = "[]"
    comment: str = ""
    #: The user name rated, the window (as queue_ticket.window), the department code ("" for a
    #: rating of a ticket alone).
    clerk: str = Field(default="", max_length=128)
    window: str = Field(default="", max_length=8)
    department: str = Field(default="", max_length=64)
    rated_at: datetime
    recorded_by: str = Field(max_length=128)


class RatingFollowup(SQLModel, table=True):
    """差评整改 of one bad rating: open → verified (回访核实) → fixed (整改) → closed (反馈), or
    mistaken (误评) when an appeal (申诉复核) finds the rating mistaken or malicious."""

    __tablename__ = "rating_followup"
    __table_args__ = (Index("ix_rating_followup_state_due", "site", "state", "due"),)

    rating_id: str = Field(primary_key=True, max_length=36, foreign_key="rating.id")
    site: str = Field(max_length=64)
    #: The case's department code, or "hall" (feedback.rules.HALL_OWNER).
    owner: str = Field(max_length=64)
    due: date
    state: str = Field(max_length=16)
    opened_at: datetime
    verified_at: datetime | None = None
    verified_by: str = Field(default="", max_length=128)
    verify_note: str = ""
    fixed_at: datetime | None = None
    fixed_by: str = Field(default="", max_length=128)
    fix_note: str = ""
    closed_at: datetime | None = None
    closed_by: str = Field(default="", max_length=128)
    close_note: str = ""
    #: 申诉复核: when, by whom and why the rating was found mistaken (误评).
    appealed_at: datetime | None = None
    appealed_by: str = Field(default="", max_length=128)
    appeal_reason: str = ""
    updated_at: datetime


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
