"""The hub's side of push: a site's events, in its chain order, stored and applied once.

Everything happens in the caller's one transaction: the pushing site's head row is locked, then
the hub's own (its clock, and the rejections it records), then the sequence — the order every
writer keeps, so pushes and the county's own windows never deadlock. A refused push stores
nothing; the caller records the problem it names in a transaction of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from counter_tui.actor import Actor
from counter_tui.cases.events import ACTION_OF, CASE_ACTION_REJECTED, ActionRejected
from counter_tui.cases.lifecycle import refusal_after_sync
from counter_tui.cases.models import Case
from counter_tui.journal.models import Event, JournalHead
from counter_tui.journal.rules import GENESIS, hlc_wall_ms
from counter_tui.journal.service import record
from counter_tui.sync.store import (
    CLOCK_BOUND_MS,
    LOST,
    REPEAT,
    Tampered,
    advance_clock,
    check_hash,
    problem,
    store_foreign,
)
from counter_tui.sync.wire import BATCH_LIMIT, WireError, from_wire


class PushRefused(Exception):
    """The whole push is refused: nothing of it is stored. `status` is the HTTP status the hub
    answers; `kind` names a problem to record for the county admin (or "")."""

    def __init__(self, status: int, reason: str, kind: str = "", event_id: str = "") -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.kind = kind
        self.event_id = event_id


@dataclass
class PushResult:
    stored: int = 0
    repeated: int = 0
    #: (event id, reason) of the events that lost a conflict.
    rejected: list[tuple[str, str]] = field(default_factory=list)
    #: How much of the site's chain the hub holds now.
    count: int = 0
    hash: str = GENESIS


def receive_push(
    session: Session, site: str, events: list[dict[str, Any]], *, hub: Actor, now: datetime
) -> PushResult:
    """Store and apply a site's pushed events. `hub` is the hub's own actor (it records the
    rejections); `now` its clock."""
    if len(events) > BATCH_LIMIT:
        raise PushRefused(413, f"一次最多推送 {BATCH_LIMIT} 条事件，这次有 {len(events)} 条")
    if site == hub.site:
        raise PushRefused(403, "中心不能向自己推送")
    parsed = []
    for data in events:
        try:
            parsed.append(from_wire(data))
        except WireError as exc:
            raise PushRefused(422, str(exc)) from None
    for event in parsed:
        if event.site != site:
            raise PushRefused(403, f"事件 {event.id} 属于站点 {event.site}，不是本站点 {site}")
    for event in parsed:
        try:
            check_hash(event)
        except Tampered as exc:
            raise PushRefused(409, exc.reason, "tampered", exc.event_id) from None
    head = session.get(JournalHead, site, with_for_update=True, populate_existing=True)
    # The hub's own head next (its clock, its rejections), before the sequence.
    session.get(JournalHead, hub.site, with_for_update=True, populate_existing=True)
    result = PushResult()
    now_ms = int(now.timestamp() * 1000)
    newest: str | None = None
    ahead = 0
    for event in parsed:
        held = session.get(Event, event.id)
        if held is not None:
            if held.hash != event.hash:
                raise PushRefused(
                    409, f"事件 {event.id} 中心已有，内容却不同（疑似篡改）", "tampered", event.id
                )
            result.repeated += 1
            continue
        _continues(head, event)
        try:
            stored = store_foreign(session, event, now=now, refusal=_conflict(session, event))
        except Tampered as exc:
            raise PushRefused(409, exc.reason, "tampered", exc.event_id) from None
        if stored.outcome == REPEAT:  # pragma: no cover - held was checked just above
            result.repeated += 1
            continue
        if head is None:
            head = JournalHead(site=site, last_hlc=event.hlc, last_hash=event.hash, count=0)
        head.last_hlc, head.last_hash, head.count = event.hlc, event.hash, head.count + 1
        session.add(head)
        result.stored += 1
        newest = max(newest or event.hlc, event.hlc)
        if hlc_wall_ms(event.hlc) > now_ms + CLOCK_BOUND_MS:
            ahead += 1
        if stored.outcome == LOST:
            _reject(session, hub, event, now)
            result.rejected.append((event.id, event.note))
    if ahead:
        problem(
            session,
            site,
            "clock_ahead",
            f"{ahead} 条事件的时间比中心时钟快 5 分钟以上：该站点电脑的时钟可能不准",
            now,
        )
    advance_clock(session, hub.site, newest, bound_ms=now_ms + CLOCK_BOUND_MS)
    session.flush()
    if head is not None:
        result.count, result.hash = head.count, head.last_hash
    return result


def _continues(head: JournalHead | None, event: Event) -> None:
    """Refuse an event that does not continue the chain the hub holds for its site."""
    tip = head.last_hash if head else GENESIS
    if event.prev_hash == tip:
        if head is not None and event.hlc <= head.last_hlc:
            raise PushRefused(409, f"事件 {event.id} 的时间戳没有晚于前一事件（链被改动）", "chain")
        return
    held = head.count if head else 0
    reason = (
        f"事件 {event.id} 不接续中心保存的链：中心已有该站点 {held} 条事件，"
        "这条的前一哈希与之不符（中间缺少事件，或链分叉）"
    )
    raise PushRefused(409, reason, "chain", event.id)


def _conflict(session: Session, event: Event) -> str | None:
    """Why a pushed step on a case cannot take effect at the hub now, or None."""
    action = ACTION_OF.get(event.type)
    case_id = json.loads(event.payload).get("case_id")
    if action is None or not isinstance(case_id, str):
        return None
    case = session.get(Case, case_id)
    if case is None:
        return None  # no such case here: the handler fails and the event is quarantined
    return refusal_after_sync(case.state, action)


def _reject(session: Session, hub: Actor, event: Event, now: datetime) -> None:
    """Record that `event` lost, for its author and the case's timeline at both ends."""
    record(
        session,
        hub,
        CASE_ACTION_REJECTED,
        ActionRejected(
            case_id=event.subject or "",
            at=now.isoformat(),
            event_id=event.id,
            event_type=event.type,
            author=event.actor,
            author_site=event.site,
            reason=event.note,
        ),
    )
