"""record(), verify() and replay(): writing to, checking and rebuilding from the journal."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, delete, select

from counter_tui.actor import Actor
from counter_tui.ids import new_id
from counter_tui.journal import rules
from counter_tui.journal.models import Event, JournalHead
from counter_tui.journal.registry import apply, projection_tables


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def hash_of(event: Event) -> str:
    """The hash an event must carry: over every field but the hash itself."""
    return rules.event_hash(
        id=event.id,
        site=event.site,
        actor=event.actor,
        hlc=event.hlc,
        type=event.type,
        payload=event.payload,
        prev_hash=event.prev_hash,
    )


def record(session: Session, actor: Actor, type: str, payload: dict[str, Any]) -> Event:
    """Append an event for the actor's site and apply it, in the caller's transaction.

    The head row is read FOR UPDATE (PostgreSQL) inside an IMMEDIATE transaction (SQLite), so two
    processes appending to one site serialise and the hash chain never forks.
    """
    # populate_existing: a session reused across transactions must not append after a stale tip.
    head = session.get(JournalHead, actor.site, with_for_update=True, populate_existing=True)
    hlc = rules.next_hlc(head.last_hlc if head else None, _now_ms())
    prev_hash = head.last_hash if head else rules.GENESIS
    event = Event(
        id=new_id(),
        site=actor.site,
        actor=actor.label,
        hlc=hlc,
        type=type,
        payload=rules.canonical_json(payload),
        prev_hash=prev_hash,
        hash="",
    )
    event.hash = digest = hash_of(event)
    session.add(event)
    if head is None:
        head = JournalHead(site=actor.site, last_hlc=hlc, last_hash=digest, count=1)
    else:
        head.last_hlc, head.last_hash, head.count = hlc, digest, head.count + 1
    session.add(head)
    session.flush()
    apply(session, event)
    session.flush()
    return event


@dataclass(frozen=True)
class Breach:
    """Where a site's chain first fails to match what is stored.

    `event_id` is None when the break is at the end of the chain (a last event or the head row
    was removed): `position` is then the number of events that still check out.
    """

    event_id: str | None
    site: str
    position: int
    reason: str

    def describe(self) -> str:
        if self.event_id is None:
            return f"站点 {self.site} 第 {self.position} 条事件之后：{self.reason}"
        return f"站点 {self.site} 第 {self.position} 条事件 {self.event_id}：{self.reason}"


def verify(session: Session) -> tuple[int, Breach | None]:
    """Check every site's chain; return the number of events checked and the first breach."""
    checked = 0
    # Sites come from the events as well as the heads: deleting a site's head row must not hide
    # its events from the check.
    sites = set(session.exec(select(JournalHead.site)).all())
    sites.update(session.exec(select(Event.site).distinct()).all())
    for site in sorted(sites):
        prev = rules.GENESIS
        position = 0
        query = select(Event).where(Event.site == site).order_by(col(Event.hlc), col(Event.id))
        for event in session.exec(query):
            position += 1
            checked += 1
            if event.prev_hash != prev:
                return checked, Breach(
                    event.id, site, position, "与前一事件的链接不符（有事件被删除或插入）"
                )
            if hash_of(event) != event.hash:
                return checked, Breach(event.id, site, position, "内容与哈希不符（事件被改动）")
            prev = event.hash
        head = session.get(JournalHead, site)
        if head is None:
            return checked, Breach(None, site, position, "缺少该站点的链尾记录（日志被改动）")
        if head.last_hash != prev or head.count != position:
            return checked, Breach(None, site, position, "链尾与记录不符（末尾事件被删除）")
    return checked, None


def replay(session: Session) -> int:
    """Empty every projection table and re-apply the whole journal; returns the events applied."""
    tables = projection_tables()
    for table in reversed(tables):
        session.exec(delete(table))
    session.flush()
    count = 0
    events = session.exec(select(Event).order_by(col(Event.hlc), col(Event.site), col(Event.id)))
    for event in events.all():
        apply(session, event)
        session.flush()
        count += 1
    return count
