"""Cases' event types and their payloads (the catalogue: docs/events.md).

Everything a projection needs travels in the payload, so replay and a hub applying a village's
events rebuild the same rows: times as ISO 8601 strings with their offset (`at`), dates as ISO
dates, the intake in its own JSON form (cases.intake.to_json) and notices in theirs
(notices.content.to_json).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from counter_tui.journal.events import declare

CASE_NOTIFIED = "case.notified"
CASE_ACCEPTED = "case.accepted"
CASE_REFUSED = "case.refused"
CASE_COMPLETED = "case.completed"
CASE_MATERIAL_SUPPLIED = "case.material_supplied"
CASE_TERMINATED = "case.terminated"
CASE_DUE_RECOMPUTED = "case.due_recomputed"
CASE_HANDED_OFF = "case.handed_off"
CASE_CLAIMED = "case.claimed"
CASE_CORRECTION_REQUESTED = "case.correction_requested"
CASE_RESUBMITTED = "case.resubmitted"
CASE_SUSPENDED = "case.suspended"
CASE_RESUMED = "case.resumed"
CASE_APPROVED = "case.approved"
CASE_DENIED = "case.denied"
CASE_DELIVERED = "case.delivered"
CASE_WITHDRAWN = "case.withdrawn"
CASE_ACTION_REJECTED = "case.action_rejected"

#: The lifecycle action (cases.lifecycle) each step on an existing case takes: what the hub
#: checks a site's pushed event against (docs/sync.md, "Conflicts").
ACTION_OF = {
    CASE_COMPLETED: "complete",
    CASE_TERMINATED: "terminate",
    CASE_HANDED_OFF: "hand_off",
    CASE_CLAIMED: "claim",
    CASE_CORRECTION_REQUESTED: "request_correction",
    CASE_RESUBMITTED: "resubmit",
    CASE_SUSPENDED: "suspend",
    CASE_RESUMED: "resume",
    CASE_APPROVED: "approve",
    CASE_DENIED: "deny",
    CASE_DELIVERED: "deliver",
    CASE_WITHDRAWN: "withdraw",
}

#: A notice as notices.content.to_json writes it.
NoticeJson = dict[str, Any]


# --- intake outcomes ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Entry:
    """The item or bundle applied for, as the catalog named it at the time."""

    code: str
    kind: str
    name: str
    department: str
    items: list[str]


@dataclass(frozen=True, kw_only=True)
class IntakeOutcome:
    """What every intake outcome carries: the case's identity and the whole intake."""

    case_id: str
    number: str
    entry: Entry
    #: cases.intake.to_json of the intake.
    intake: dict[str, Any]
    clerk: str
    at: str
    committed_days: int = 0
    notices: list[NoticeJson] = field(default_factory=list)


@declare(CASE_NOTIFIED)
@dataclass(frozen=True, kw_only=True)
class Notified(IntakeOutcome):
    """一次性告知: the case is kept with what was entered; the notice lists what is missing."""


@dataclass(frozen=True, kw_only=True)
class Deferral:
    """A material accepted under 容缺, owed by `until`."""

    kind: str
    name: str
    until: str


@declare(CASE_ACCEPTED)
@dataclass(frozen=True, kw_only=True)
class Accepted(IntakeOutcome):
    accepted_at: str
    due: str
    #: Years the due date counted through on an estimated calendar (the date is provisional).
    due_unofficial: list[int]
    legal_due: str
    legal_days: int
    deferrals: list[Deferral]


@declare(CASE_REFUSED)
@dataclass(frozen=True, kw_only=True)
class Refused(IntakeOutcome):
    reasons: str
    competent_agency: str


# --- after acceptance --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class OnCase:
    """A step on an existing case at a time."""

    case_id: str
    at: str


@declare(CASE_COMPLETED)
@dataclass(frozen=True, kw_only=True)
class Completed(OnCase):
    """办结 (at the window for a 即办件, or by the back office)."""


@declare(CASE_MATERIAL_SUPPLIED)
@dataclass(frozen=True, kw_only=True)
class MaterialSupplied(OnCase):
    kind: str


@declare(CASE_TERMINATED)
@dataclass(frozen=True, kw_only=True)
class Terminated(OnCase):
    reason: str
    notices: list[NoticeJson]


@declare(CASE_DUE_RECOMPUTED)
@dataclass(frozen=True, kw_only=True)
class DueRecomputed:
    """Due dates counted again after a calendar import (no `at`: the event's HLC time)."""

    case_id: str
    due: str
    due_unofficial: list[int]
    legal_due: str
    previous: str | None


@declare(CASE_HANDED_OFF)
@dataclass(frozen=True, kw_only=True)
class HandedOff(OnCase):
    department: str
    department_name: str


@declare(CASE_CLAIMED)
@dataclass(frozen=True, kw_only=True)
class Claimed(OnCase):
    assignee: str
    assignee_name: str


@declare(CASE_CORRECTION_REQUESTED)
@dataclass(frozen=True, kw_only=True)
class CorrectionRequested(OnCase):
    #: [material name, what to correct] pairs.
    corrections: list[list[str]]
    deadline: str
    clock_stops: bool
    pause_id: str
    notices: list[NoticeJson]


@dataclass(frozen=True, kw_only=True)
class ClockRestarted(OnCase):
    """A step that may restart a stopped clock: the due dates recounted then, or None when
    the clock ran on."""

    due: str | None = None
    legal_due: str | None = None


@declare(CASE_RESUBMITTED)
@dataclass(frozen=True, kw_only=True)
class Resubmitted(ClockRestarted):
    """补正 papers brought to the window: review goes on."""


@declare(CASE_SUSPENDED)
@dataclass(frozen=True, kw_only=True)
class Suspended(OnCase):
    reason: str
    pause_id: str


@declare(CASE_RESUMED)
@dataclass(frozen=True, kw_only=True)
class Resumed(ClockRestarted):
    pass


@dataclass(frozen=True, kw_only=True)
class Decision(OnCase):
    decision_number: str
    reason: str


@declare(CASE_APPROVED)
@dataclass(frozen=True, kw_only=True)
class Approved(Decision):
    #: 容缺 materials still owed when the approver confirmed the approval.
    deferred_owed: list[str] = field(default_factory=list)


@declare(CASE_DENIED)
@dataclass(frozen=True, kw_only=True)
class Denied(Decision):
    pass


@declare(CASE_DELIVERED)
@dataclass(frozen=True, kw_only=True)
class Delivered(OnCase):
    #: backoffice.Delivery's fields, cleaned, plus `collector` for a pickup.
    delivery: dict[str, str]
    summary: str


@declare(CASE_WITHDRAWN)
@dataclass(frozen=True, kw_only=True)
class Withdrawn(OnCase):
    reason: str


@declare(CASE_ACTION_REJECTED)
@dataclass(frozen=True, kw_only=True)
class ActionRejected(OnCase):
    """A site's step on the case lost to what the hub had already done (docs/sync.md,
    "Conflicts"): kept in that site's chain, never applied; its author is told why."""

    event_id: str
    event_type: str
    author: str
    author_site: str
    reason: str
