"""A case as the notices and the screens read it: one immutable record. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from counter_tui.cases.intake import Intake

DRAFT = "draft"
ACCEPTED = "accepted"
NOTIFIED = "notified"
REFUSED = "refused"
COMPLETED = "completed"
TERMINATED = "terminated"
# After intake: the back office (cases.lifecycle says which action leads where).
HANDED_OFF = "handed_off"
IN_REVIEW = "in_review"
CORRECTION_REQUESTED = "correction_requested"
SUSPENDED = "suspended"
APPROVED = "approved"
DENIED = "denied"
DELIVERED = "delivered"
WITHDRAWN = "withdrawn"

#: state → what the clerk and the approver read; every state of the lifecycle is here.
STATE_LABELS = {
    DRAFT: "草稿",
    ACCEPTED: "已受理",
    NOTIFIED: "已一次性告知",
    REFUSED: "不予受理",
    COMPLETED: "已办结",
    TERMINATED: "已终止",
    HANDED_OFF: "已移交后台",
    IN_REVIEW: "审查中",
    CORRECTION_REQUESTED: "待补正",
    SUSPENDED: "已中止",
    APPROVED: "准予许可",
    DENIED: "不予许可",
    DELIVERED: "已出件",
    WITHDRAWN: "已撤回",
}


@dataclass(frozen=True)
class CaseRecord:
    """One case (办件) with what was entered and what was decided at the window."""

    id: str
    #: 421202-XA-BYQ-261122-0007; given at the first outcome (notify, accept or refuse).
    number: str
    site: str
    state: str
    intake: Intake
    #: The item or bundle applied for.
    entry_code: str
    entry_name: str
    #: "item" or "bundle".
    entry_kind: str
    #: The items handled (one for an item, the members of a bundle).
    item_codes: tuple[str, ...]
    #: Department code (a bundle: its lead department).
    department: str
    #: The clerk who recorded the last outcome (display name, for the notices).
    clerk: str
    #: When the applicant was first turned away with a one-time notice, accepted, or refused.
    created_at: datetime
    accepted_at: datetime | None = None
    #: Committed limit in working days (the largest of a bundle's items); 0 for 即办件.
    committed_days: int = 0
    #: The due date of the committed limit, and the years it counted through provisionally.
    due: date | None = None
    due_unofficial_years: tuple[int, ...] = ()
    #: The due date of the legal limit (for supervision).
    legal_due: date | None = None
    refusal_reasons: str = ""
    #: The agency the matter belongs to, when the refusal is for that reason.
    competent_agency: str = ""
    termination_reason: str = ""
    # --- the back office: who has it, what was asked and decided -------------------------
    #: The approver who claimed the case (user name, and the name shown).
    assignee: str = ""
    assignee_name: str = ""
    correction_deadline: date | None = None
    #: Whether the clock stands still now (补正 where the item says so, 中止).
    paused: bool = False
    decision_number: str = ""
    decision_reason: str = ""
    withdrawal_reason: str = ""
    #: Visits the applicant made so far (最多跑一次).
    trips: int = 0

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def due_provisional(self) -> bool:
        return bool(self.due_unofficial_years)
