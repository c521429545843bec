"""Case tables. `cases`, `case_deferral`, `case_notice` and `applicant` are projections of the
case.* events (rebuilt by replay); `intake_draft` is the clerk's unsaved form, local to this node
and never journaled (docs/architecture.md, "Intake drafts").

Times are aware datetimes (kept as UTC); case numbers and due dates are counted in the hall's
local days, taken from the event's own time with its offset.
"""

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Case(SQLModel, table=True):
    __tablename__ = "cases"
    # The worklist (a department's open cases by due date) and the overdue list (open cases
    # past due) read these two indexes and never the closed cases (bench cases).
    __table_args__ = (
        Index("ix_cases_department_state_due", "department", "state", "due"),
        Index("ix_cases_state_due", "state", "due"),
        # The reports (reports.figures) count a period's accepted and finished cases per site,
        # department and clerk from these alone (migration 0014_report_indexes).
        Index("ix_cases_accepted_report", "accepted_at", "site", "department", "clerk"),
        Index(
            "ix_cases_completed_report",
            "completed_at",
            "site",
            "department",
            "clerk",
            "due",
            "trips",
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    #: 421202-XA-BYQ-261122-0007, unique across sites (the whole site code is in it);
    #: cases numbered before issue 14 keep XA-BYQ-20261122-0007 (cases.rules.case_number).
    number: str = Field(unique=True, max_length=64)
    site: str = Field(max_length=64, index=True)
    state: str = Field(max_length=24, index=True)
    entry_code: str = Field(max_length=64)
    entry_kind: str = Field(max_length=8)
    entry_name: str = Field(max_length=200)
    #: JSON list of the item codes handled.
    item_codes: str
    department: str = Field(max_length=64, index=True)
    #: How the applicant is found again: (id type or "uscc", number).
    applicant_key_type: str = Field(max_length=8)
    applicant_key: str = Field(max_length=64, index=True)
    applicant_name: str = Field(max_length=100, index=True)
    applicant_phone: str = Field(default="", max_length=40, index=True)
    #: The intake as entered (cases.intake.to_json).
    intake: str
    clerk: str = Field(max_length=128)
    created_at: datetime
    accepted_at: datetime | None = None
    committed_days: int = 0
    due: date | None = None
    #: Years the due date was counted through without an official calendar: "2027 2028".
    due_unofficial: str = Field(default="", max_length=64)
    legal_due: date | None = None
    #: Legal limit in working days (the largest of a bundle's items): recounted with the calendar.
    legal_days: int = 0
    refusal_reasons: str = ""
    competent_agency: str = Field(default="", max_length=200)
    termination_reason: str = ""
    updated_at: datetime
    # --- the back office (issue 5) -------------------------------------------------------
    handed_off_at: datetime | None = None
    #: The approver who claimed the case (one at a time), and their name.
    assignee: str = Field(default="", max_length=64, index=True)
    assignee_name: str = Field(default="", max_length=100)
    claimed_at: datetime | None = None
    #: 准予/不予许可: the decision's document number and reasons.
    decision_number: str = Field(default="", max_length=100)
    decision_reason: str = ""
    decided_at: datetime | None = None
    completed_at: datetime | None = None
    #: While the clock is stopped (补正 where the item says so, 中止): since when.
    paused_since: datetime | None = None
    correction_deadline: date | None = None
    #: How the result went out (cases.backoffice.delivery_to_json), and when.
    delivery: str = ""
    delivered_at: datetime | None = None
    withdrawal_reason: str = ""
    #: Visits the applicant made (最多跑一次): the local days on which they came to the window
    #: for this case (cases.rules.visit_day says which steps are a visit).
    trips: int = 0
    #: The local day of the last visit counted in `trips`: a second step that day is no new trip.
    last_visit_on: date | None = None


class CaseDeferral(SQLModel, table=True):
    """A deferred (容缺) material: supplied by `until`, or the case is terminated."""

    __tablename__ = "case_deferral"

    case_id: str = Field(primary_key=True, foreign_key="cases.id", max_length=36)
    kind: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    until: date = Field(index=True)
    supplied_at: datetime | None = None


class CaseNotice(SQLModel, table=True):
    """A notice as issued (notices.content.to_json): a reprint prints this, not a new one."""

    __tablename__ = "case_notice"

    number: str = Field(primary_key=True, max_length=80)
    case_id: str = Field(foreign_key="cases.id", max_length=36, index=True)
    kind: str = Field(max_length=16)
    issued_at: datetime
    content: str


class Applicant(SQLModel, table=True):
    """The last details an applicant gave, found again by ID number (or USCC)."""

    __tablename__ = "applicant"

    key_type: str = Field(primary_key=True, max_length=8)
    key: str = Field(primary_key=True, max_length=64)
    #: cases.intake.Party as JSON.
    party: str
    updated_at: datetime


class IntakeDraft(SQLModel, table=True):
    """The form being filled at a window, saved as the clerk types: a killed app loses nothing.

    Not business state and not journaled: nothing has been decided yet, and personal data that
    never became a case should not travel by sync. Deleted when the case gets its outcome.
    """

    __tablename__ = "intake_draft"

    id: str = Field(primary_key=True, max_length=36)
    site: str = Field(max_length=64)
    username: str = Field(max_length=64, index=True)
    #: A notified case being resumed, else None.
    case_id: str | None = Field(default=None, max_length=36)
    content: str
    updated_at: datetime


class CasePause(SQLModel, table=True):
    """A stretch when the case's clock stood still (补正 where the item says so, 中止)."""

    __tablename__ = "case_pause"

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(foreign_key="cases.id", max_length=36, index=True)
    #: "correction" or "suspension".
    kind: str = Field(max_length=16)
    reason: str = ""
    start: date
    end: date | None = None


class CaseStep(SQLModel, table=True):
    """One step of a case's timeline (GB/T 39046 办理环节): who did what, where and when.

    Written by the projection of every case.* event, so the case detail reads one table
    instead of scanning the journal.
    """

    __tablename__ = "case_step"

    event_id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(foreign_key="cases.id", max_length=36, index=True)
    at: datetime
    type: str = Field(max_length=64)
    actor: str = Field(max_length=128)
    site: str = Field(max_length=64)
    #: What the step says in the timeline, in Chinese.
    summary: str


class CaseRejection(SQLModel, table=True):
    """A step a clerk took that lost a conflict at the hub (case.action_rejected): shown to the
    clerk who took it and in the case's timeline."""

    __tablename__ = "case_rejection"

    #: The case.action_rejected event.
    event_id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(foreign_key="cases.id", max_length=36, index=True)
    #: The rejected event, its type, and who took it where.
    rejected_event: str = Field(max_length=36)
    rejected_type: str = Field(max_length=64)
    author: str = Field(max_length=128, index=True)
    author_site: str = Field(max_length=64)
    reason: str
    at: datetime
