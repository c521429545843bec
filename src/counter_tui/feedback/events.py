"""The feedback capability's event types and their payloads (the catalogue: docs/events.md).

Times are ISO 8601 strings with their offset, so replay never reads the clock. Every rating
event names its `case_id` when it has one, so the journal's routing takes it where the case goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from counter_tui.journal.events import declare

# --- ratings (好差评) -----------------------------------------------------------------------

RATING_RECORDED = "rating.recorded"
FOLLOWUP_OPENED = "rating.followup_opened"
FOLLOWUP_VERIFIED = "rating.followup_verified"
FOLLOWUP_FIXED = "rating.followup_fixed"
FOLLOWUP_CLOSED = "rating.followup_closed"
FOLLOWUP_APPEALED = "rating.followup_appealed"


@declare(RATING_RECORDED)
@dataclass(frozen=True, kw_only=True)
class RatingRecorded:
    rating_id: str
    #: "service" (一次一评, a queue ticket) or "case" (一事一评).
    kind: str
    #: "window", "phone", "sms", "online".
    channel: str
    #: 1 非常满意 … 5 非常不满意 (GB/T 39046); None when no level was given (未评价).
    level: int | None
    #: False for 未评价 (a timed-out prompt) and for a platform's default rating.
    given: bool
    rated_at: str
    ticket_id: str | None = None
    case_id: str | None = None
    case_number: str = ""
    reasons: list[str] = field(default_factory=list)
    comment: str = ""
    #: The user name rated, the window and the department (the case's; "" for a ticket alone).
    clerk: str = ""
    window: str = ""
    department: str = ""


@dataclass(frozen=True, kw_only=True)
class FollowupStep:
    """A step of the follow-up (差评整改) of one bad rating."""

    rating_id: str
    at: str
    note: str = ""
    case_id: str | None = None


@declare(FOLLOWUP_OPENED)
@dataclass(frozen=True, kw_only=True)
class FollowupOpened(FollowupStep):
    #: The case's department code, or "hall" for a rating of a ticket alone.
    owner: str
    #: The deadline (a working day, ISO date).
    due: str


@declare(FOLLOWUP_VERIFIED)
@dataclass(frozen=True, kw_only=True)
class FollowupVerified(FollowupStep):
    """回访核实: the applicant was called back and the complaint checked."""


@declare(FOLLOWUP_FIXED)
@dataclass(frozen=True, kw_only=True)
class FollowupFixed(FollowupStep):
    """整改: what was changed (or why nothing could be, where no legal basis exists)."""


@declare(FOLLOWUP_CLOSED)
@dataclass(frozen=True, kw_only=True)
class FollowupClosed(FollowupStep):
    """反馈: the applicant was told the outcome; the loop is closed."""


@declare(FOLLOWUP_APPEALED)
@dataclass(frozen=True, kw_only=True)
class FollowupAppealed(FollowupStep):
    """申诉复核 upheld: the rating was mistaken or malicious (误评); `note` says why."""
