"""Rating tables: projections of the rating.* events (rebuilt by replay).

`rating` is one rating (好差评) of a service (一次一评, a queue ticket) or of a case (一事一评);
`rating_followup` is the follow-up loop (差评整改) a bad rating opens. Times are aware datetimes
kept as UTC. The reports read `rating` by site or department and time (its two indexes).

No unique constraint keeps a ticket or a case to one rating: the service refuses a second one,
but two sites apart may each record one before they sync, and applying what arrives must not fail.
"""

from datetime import date, datetime

from sqlalchemy import Index
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
