"""Plain records the doors return: built inside a session, safe to keep after it closed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: a command that opens a node must not import the cases
    from counter_tui.cases.commands import Prepared
    from counter_tui.cases.models import CaseDeferral
    from counter_tui.cases.record import CaseRecord
    from counter_tui.catalog.model import Bundle, Item
    from counter_tui.notices.content import Notice
    from counter_tui.workdays.rules import DueDate


@dataclass(frozen=True)
class NodeInfo:
    site: str
    site_name: str
    demo: bool
    level: str


@dataclass(frozen=True)
class Guide:
    """Everything the guide pane shows for one catalog entry."""

    entry: Item | Bundle
    departments: dict[str, str]
    kinds: dict[str, str]
    #: The items of a bundle (empty for an item).
    items: dict[str, Item]


@dataclass(frozen=True)
class TimelineStep:
    """One line of a case's timeline: when (local time), who, where, what."""

    at: datetime
    #: The name on the account (the user name when this node does not know the account).
    actor: str
    #: The site the step happened at, when it is not this node's own; else empty.
    site: str
    summary: str


@dataclass(frozen=True)
class CaseDetail:
    case: CaseRecord
    steps: list[TimelineStep]
    notices: list[Notice]
    deferrals: list[CaseDeferral]
    #: 正常 / 提醒 / 黄牌 … with the days left, for an open case; else empty.
    warning: str
    #: The department's name.
    department: str = ""
    #: Where the case was taken in, when not at this node: "青龙村便民服务室（421202-XA-QLC）".
    intake_site: str = ""


@dataclass(frozen=True)
class Preparation:
    """What the intake form shows of its entry: checklist, due date, department's name."""

    prepared: Prepared
    due: DueDate
    department: str


@dataclass(frozen=True)
class SyncStatus:
    """What the header's 同步 and `sync status` show: the node's link to its hub, never the
    signed-in user's (two clerks on one PC share one outbox)."""

    #: A trainer's database: it never syncs.
    demo: bool
    #: `sync register` has been done.
    registered: bool
    hub_url: str
    hub_name: str
    #: This site's events the hub does not hold yet.
    pending: int
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    #: Since when the hub could not be reached; None while it answers.
    offline_since: datetime | None
    #: The last failure, in Chinese ("" after a success).
    last_error: str
    #: The hub's clock minus this PC's, in milliseconds, at the last answer.
    hub_offset_ms: int
    #: Sync problems not yet resolved (tampering, quarantined or unknown events, clocks).
    problems: int
    #: When the hub made the newest reply bundle taken here (sync by file; None: never).
    last_file_at: datetime | None = None
    #: This node is a county hub: the sites sync to it, and it has no hub of its own.
    is_hub: bool = False


@dataclass(frozen=True)
class Problem:
    """A sync problem not yet resolved: tampering, a broken chain, an event that is unknown or
    cannot be applied, a clock far ahead (sync_problem)."""

    id: str
    at: datetime
    site: str
    kind: str
    event_id: str
    detail: str


@dataclass(frozen=True)
class HeldAtHub:
    """One of this site's events its hub stored and could not apply, as the hub last said:
    the village sees what the county must deal with, and why (docs/sync.md)."""

    event_id: str
    type: str
    #: unknown (a type the hub does not know) or quarantined (it could not be applied).
    status: str
    #: The hub's reason, in Chinese.
    note: str
    received_at: datetime | None


@dataclass(frozen=True)
class Rejection:
    """A step a clerk took that lost a conflict at the hub, for that clerk to read."""

    #: The hub's case.action_rejected event.
    event_id: str
    case_id: str
    case_number: str
    author: str
    action: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class SyncRound:
    """What one sync round did."""

    pushed: int
    pulled: int
    #: Steps of this site's clerks the hub's order turned down in this round.
    rejections: list[Rejection]
    #: Events stored but not applied (unknown type, quarantined) in this round.
    flagged: int
    status: SyncStatus
    #: Reference data adopted from the hub (事项目录, 工作日历 2027), in Chinese.
    reference: list[str] = field(default_factory=list)
    #: Own events taken back from the hub (a node restored from an old backup), own events
    #: re-chained after them, and (old, new) case numbers changed (sync/recover.py).
    taken_back: int = 0
    rechained: int = 0
    renumbered: list[tuple[str, str]] = field(default_factory=list)
