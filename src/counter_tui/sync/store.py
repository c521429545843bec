"""Storing an event made at another site, once, and applying it if it can be (docs/sync.md).

The same id with the same hash again is a repeat and changes nothing; the same id with another
hash is tampering. A type this program does not know is stored and flagged `unknown`; an event
whose handler fails is stored and `quarantined`: neither blocks the events behind it. The caller
holds the journal heads it needs and runs everything in its transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from counter_tui.ids import new_id
from counter_tui.journal.events import PayloadMismatch, UnknownEventType
from counter_tui.journal.models import APPLIED, QUARANTINED, UNKNOWN, Event, JournalHead
from counter_tui.journal.registry import apply
from counter_tui.journal.routing import audience, subject_of
from counter_tui.journal.rules import format_hlc, hlc_wall_ms
from counter_tui.journal.service import hash_of, take_seq
from counter_tui.sync.models import SyncProblem

STORED = "stored"
REPEAT = "repeat"

#: How far ahead of the hub's clock a site's stamps may pull the hub's own (ms).
CLOCK_BOUND_MS = 5 * 60 * 1000


class Tampered(Exception):
    """An event id this database holds with another hash, or an event whose hash does not
    match its content."""

    def __init__(self, event_id: str, reason: str) -> None:
        super().__init__(reason)
        self.event_id = event_id
        self.reason = reason


@dataclass(frozen=True)
class Stored:
    outcome: str
    event: Event


def check_hash(event: Event) -> None:
    if hash_of(event) != event.hash:
        raise Tampered(event.id, f"事件 {event.id} 的内容与哈希不符（途中被改动）")


def store_foreign(session: Session, event: Event, *, now: datetime) -> Stored:
    """Store `event` (not yet in the session) unless held already, and apply it: a node taking
    what it pulled from its hub."""
    check_hash(event)
    held = session.get(Event, event.id)
    if held is not None:
        if held.hash != event.hash:
            raise Tampered(event.id, f"事件 {event.id} 已收到过，但这次的内容不同（疑似篡改）")
        return Stored(REPEAT, held)
    event.subject = subject_of(json.loads(event.payload))
    event.received_at = now
    event.seq = take_seq(session)
    session.add(event)
    session.flush()
    apply_stored(session, event, now)
    return Stored(STORED, event)


#: What a handler raises for an event it cannot apply (as opposed to a database failure).
CANNOT_APPLY = (PayloadMismatch, LookupError, ValueError, TypeError, IntegrityError)


def apply_plainly(session: Session, event: Event) -> None:
    """Apply a stored event made elsewhere with no savepoint: the caller wraps a whole chunk in
    one and falls back to `apply_stored` for each event when any of them fails."""
    event.status, event.note = APPLIED, ""
    apply(session, event)
    event.audience = audience(session, event)
    session.add(event)


def apply_stored(session: Session, event: Event, now: datetime) -> None:
    """Apply a stored event made elsewhere, in a savepoint: a type this program does not know
    is flagged `unknown`, one whose handler fails `quarantined`, and neither stops the caller."""
    event.status, event.note = APPLIED, ""
    savepoint = session.begin_nested()
    try:
        apply(session, event)
        session.flush()
    except UnknownEventType:
        savepoint.rollback()
        event.status, event.note = UNKNOWN, "本程序不认识这种事件（可能来自较新版本），已保存未应用"
        problem(session, event.site, "unknown_type", event.note, now, event.id)
    except CANNOT_APPLY as exc:
        savepoint.rollback()
        event.status, event.note = QUARANTINED, f"无法应用：{exc}"[:500]
        problem(session, event.site, "quarantined", event.note, now, event.id)
    else:
        savepoint.commit()
    event.audience = audience(session, event)
    session.add(event)


def advance_clock(
    session: Session, own_site: str, newest: str | None, *, bound_ms: int | None = None
) -> None:
    """Move this site's HLC past `newest` (a received stamp), so what is done here next sorts
    after what was seen; `bound_ms` caps the move (a hub is never dragged into the future)."""
    if newest is None:
        return
    if bound_ms is not None and hlc_wall_ms(newest) > bound_ms:
        newest = format_hlc(bound_ms, 0)
    head = session.get(JournalHead, own_site, with_for_update=True, populate_existing=True)
    if head is not None and newest > head.last_hlc:
        head.last_hlc = newest
        session.add(head)


def problem(
    session: Session, site: str, kind: str, detail: str, now: datetime, event_id: str = ""
) -> SyncProblem:
    row = SyncProblem(id=new_id(), at=now, site=site, event_id=event_id, kind=kind, detail=detail)
    session.add(row)
    return row
